package dev.ticketing.rowlock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.UUID;

/**
 * The row-locking design: one transaction per reservation locks the event row, then the tier rows
 * in the order of their ids (so two reservations never deadlock), checks what is left, counts the
 * seats held on both and inserts the pending order. A refusal rolls the transaction back.
 */
@Service
public class RowLockReservations {

    public record Line(UUID tierId, int quantity, long unitPriceCents) {
    }

    public record Order(UUID orderId, UUID eventId, Instant expiresAt, List<Line> lines, long totalCents, String currency) {
    }

    public record Tier(UUID tierId, String name, long priceCents, int capacity) {
    }

    /** A request the event cannot take: a 4xx problem with its {@code code} and properties. */
    public static final class Refused extends RuntimeException {
        final HttpStatus status;
        final String code;
        final Map<String, Object> properties;

        Refused(HttpStatus status, String code, String detail, Map<String, Object> properties) {
            super(detail);
            this.status = status;
            this.code = code;
            this.properties = properties;
        }
    }

    private static final TypeReference<List<Line>> LINES = new TypeReference<>() {
    };

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final ObjectMapper json;
    private final Duration holdFor;

    RowLockReservations(JdbcTemplate jdbc, TransactionTemplate transactions, ObjectMapper json,
                        @Value("${rowlock.hold-for}") Duration holdFor) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.json = json;
        this.holdFor = holdFor;
    }

    /** {@code wanted}: quantity by tier, in the order of the tier ids. */
    public Order reserve(UUID eventId, String buyer, String idempotencyKey, SortedMap<UUID, Integer> wanted) {
        try {
            return transactions.execute(tx -> reserveInTransaction(eventId, buyer, idempotencyKey, wanted));
        } catch (DuplicateKeyException unique) {
            // the same key sent twice at once, or a second pending order of the buyer for the event
            return earlier(buyer, idempotencyKey, eventId, wanted).orElseThrow(() -> pendingOrderExists(eventId, buyer));
        }
    }

    private Order reserveInTransaction(UUID eventId, String buyer, String idempotencyKey, SortedMap<UUID, Integer> wanted) {
        Optional<Order> earlier = earlier(buyer, idempotencyKey, eventId, wanted);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        List<Map<String, Object>> event = jdbc.queryForList("SELECT currency, max_attendees, max_tickets_per_order, held "
                + "FROM rowlock_event WHERE id = ? FOR UPDATE", eventId);
        if (event.isEmpty()) {
            throw new Refused(HttpStatus.NOT_FOUND, "EVENT_NOT_FOUND", "No event " + eventId, Map.of());
        }
        int tickets = wanted.values().stream().mapToInt(Integer::intValue).sum();
        if (tickets > (Integer) event.get(0).get("max_tickets_per_order")) {
            throw new Refused(HttpStatus.BAD_REQUEST, "VALIDATION_FAILED", "More tickets than one order may hold", Map.of());
        }
        List<Line> lines = new ArrayList<>();
        for (Map.Entry<UUID, Integer> selection : wanted.entrySet()) {
            List<Map<String, Object>> tier = jdbc.queryForList("SELECT price_cents, capacity, held FROM rowlock_tier "
                    + "WHERE id = ? AND event_id = ? FOR UPDATE", selection.getKey(), eventId);
            if (tier.isEmpty()) {
                throw new Refused(HttpStatus.NOT_FOUND, "TIER_NOT_FOUND", "No tier " + selection.getKey(), Map.of());
            }
            int available = (Integer) tier.get(0).get("capacity") - (Integer) tier.get(0).get("held");
            if (selection.getValue() > available) {
                throw new Refused(HttpStatus.CONFLICT, "TIER_SOLD_OUT", "Not enough tickets left in this tier",
                        Map.of("tierId", selection.getKey(), "available", available));
            }
            lines.add(new Line(selection.getKey(), selection.getValue(), (Long) tier.get(0).get("price_cents")));
        }
        Integer maxAttendees = (Integer) event.get(0).get("max_attendees");
        if (maxAttendees != null && tickets > maxAttendees - (Integer) event.get(0).get("held")) {
            throw new Refused(HttpStatus.CONFLICT, "EVENT_AT_CAPACITY", "The event is at capacity",
                    Map.of("available", maxAttendees - (Integer) event.get(0).get("held")));
        }
        for (Line line : lines) {
            jdbc.update("UPDATE rowlock_tier SET held = held + ? WHERE id = ?", line.quantity(), line.tierId());
        }
        jdbc.update("UPDATE rowlock_event SET held = held + ? WHERE id = ?", tickets, eventId);
        Order order = new Order(UUID.randomUUID(), eventId, Instant.now().plus(holdFor), lines,
                lines.stream().mapToLong(line -> line.quantity() * line.unitPriceCents()).sum(),
                (String) event.get(0).get("currency"));
        jdbc.update("INSERT INTO rowlock_order (id, event_id, buyer, idempotency_key, lines, tickets, total_cents, expires_at) "
                        + "VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?)", order.orderId(), eventId, buyer, idempotencyKey,
                toJson(lines), tickets, order.totalCents(), Timestamp.from(order.expiresAt()));
        return order;
    }

    /** The order an earlier request with this key made; a different request with the same key is refused (422). */
    private Optional<Order> earlier(String buyer, String idempotencyKey, UUID eventId, SortedMap<UUID, Integer> wanted) {
        if (idempotencyKey == null) {
            return Optional.empty();
        }
        return jdbc.query("SELECT o.id, o.event_id, o.expires_at, o.lines, o.total_cents, e.currency FROM rowlock_order o "
                        + "JOIN rowlock_event e ON e.id = o.event_id WHERE o.buyer = ? AND o.idempotency_key = ?",
                (row, i) -> new Order(row.getObject("id", UUID.class), row.getObject("event_id", UUID.class),
                        row.getTimestamp("expires_at").toInstant(), fromJson(row.getString("lines")),
                        row.getLong("total_cents"), row.getString("currency")),
                buyer, idempotencyKey).stream().findFirst().map(order -> {
                    boolean same = order.eventId().equals(eventId) && order.lines().size() == wanted.size()
                            && order.lines().stream().allMatch(line -> Integer.valueOf(line.quantity()).equals(wanted.get(line.tierId())));
                    if (!same) {
                        throw new Refused(HttpStatus.UNPROCESSABLE_ENTITY, "IDEMPOTENCY_KEY_REUSED",
                                "This Idempotency-Key was sent with a different request", Map.of());
                    }
                    return order;
                });
    }

    private Refused pendingOrderExists(UUID eventId, String buyer) {
        UUID orderId = jdbc.queryForObject("SELECT id FROM rowlock_order WHERE event_id = ? AND buyer = ?", UUID.class,
                eventId, buyer);
        return new Refused(HttpStatus.CONFLICT, "PENDING_ORDER_EXISTS", "You already hold an unpaid order for this event",
                Map.of("orderId", orderId));
    }

    /** An event with its tiers, for the benchmark to reserve on. */
    public List<Tier> createEvent(UUID eventId, String name, String currency, Integer maxAttendees, int maxTicketsPerOrder,
                                  List<Tier> tiers) {
        return transactions.execute(tx -> {
            jdbc.update("INSERT INTO rowlock_event (id, name, currency, max_attendees, max_tickets_per_order) "
                    + "VALUES (?, ?, ?, ?, ?)", eventId, name, currency, maxAttendees, maxTicketsPerOrder);
            for (Tier tier : tiers) {
                jdbc.update("INSERT INTO rowlock_tier (id, event_id, name, price_cents, capacity) VALUES (?, ?, ?, ?, ?)",
                        tier.tierId(), eventId, tier.name(), tier.priceCents(), tier.capacity());
            }
            return tiers;
        });
    }

    private String toJson(List<Line> lines) {
        try {
            return json.writeValueAsString(lines);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Line> fromJson(String lines) {
        try {
            return json.readValue(lines, LINES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
