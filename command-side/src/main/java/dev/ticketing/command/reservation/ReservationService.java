package dev.ticketing.command.reservation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticketing.api.EventId;
import dev.ticketing.api.OrderId;
import dev.ticketing.api.inventory.CancelReservation;
import dev.ticketing.api.inventory.ReservationCancelled;
import dev.ticketing.api.inventory.ReserveTickets;
import dev.ticketing.api.inventory.TicketRequest;
import dev.ticketing.api.inventory.TicketsReserved;
import dev.ticketing.api.rejection.Forbidden;
import dev.ticketing.api.rejection.IdempotencyKeyReused;
import dev.ticketing.api.rejection.OrderNotFound;
import dev.ticketing.command.config.ReservationProperties;
import dev.ticketing.command.inventory.InventoryCommands;
import dev.ticketing.platform.security.CurrentUser;
import dev.ticketing.platform.security.Roles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Reserving and cancelling on behalf of a buyer. A reservation's directory entry and its
 * TicketsReserved commit in one transaction, so an Idempotency-Key can never reserve twice: a
 * concurrent or later request with the same key finds the entry and gets the original answer.
 */
@Service
public class ReservationService {

    private static final Logger log = LoggerFactory.getLogger(ReservationService.class);

    /** A granted reservation; {@code replayed} when an Idempotency-Key returned an earlier one. */
    public record Reservation(TicketsReserved reserved, boolean replayed) {
    }

    private final InventoryCommands commands;
    private final OrderDirectory directory;
    private final TransactionTemplate transaction;
    private final ObjectMapper json;
    private final ReservationProperties properties;
    private final Clock clock;

    public ReservationService(InventoryCommands commands, OrderDirectory directory, TransactionTemplate transaction,
                              ObjectMapper json, ReservationProperties properties, Optional<Clock> clock) {
        this.commands = commands;
        this.directory = directory;
        this.transaction = transaction;
        this.json = json;
        this.properties = properties;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    public Reservation reserve(EventId eventId, CurrentUser buyer, List<TicketRequest> lines, String idempotencyKey) {
        String requestHash = idempotencyKey == null ? null : requestHash(eventId, lines);
        if (idempotencyKey != null) {
            Optional<Reservation> earlier = replay(buyer, idempotencyKey, requestHash);
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        OrderId orderId = OrderId.random();
        MDC.put("orderId", orderId.toString());
        try {
            TicketsReserved reserved = transaction.execute(status -> {
                Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
                directory.add(orderId, eventId, buyer.userId(), idempotencyKey, requestHash, now);
                TicketsReserved granted = commands.send(eventId, new ReserveTickets(eventId, orderId, buyer.userId(),
                        lines, buyer.has(Roles.MEMBER), now, properties.timeout()), buyer.userId());
                directory.recordReservation(orderId, toJson(granted));
                return granted;
            });
            log.info("Reserved {} ticket(s) until {}", reserved.ticketCount(), reserved.expiresAt());
            return new Reservation(reserved, false);
        } catch (DuplicateKeyException sameKeyInFlight) {
            // another request with this key committed first: answer as it was answered
            return replay(buyer, idempotencyKey, requestHash).orElseThrow(() -> sameKeyInFlight);
        }
    }

    public ReservationCancelled cancel(OrderId orderId, CurrentUser caller) {
        MDC.put("orderId", orderId.toString());
        OrderDirectory.Entry order = directory.find(orderId).orElseThrow(() -> new OrderNotFound(orderId.toString()));
        MDC.put("eventId", order.eventId().toString());
        if (!order.userId().equals(caller.userId()) && !caller.has(Roles.ORGANIZER)) {
            throw new Forbidden("Only the buyer or an organiser may cancel this order");
        }
        ReservationCancelled cancelled = commands.send(order.eventId(),
                new CancelReservation(order.eventId(), orderId, caller.userId()), caller.userId());
        log.info("Reservation cancelled by {}", caller.userId());
        return cancelled;
    }

    private Optional<Reservation> replay(CurrentUser buyer, String idempotencyKey, String requestHash) {
        return directory.findByIdempotencyKey(buyer.userId(), idempotencyKey).map(entry -> {
            if (!entry.requestHash().equals(requestHash)) {
                throw new IdempotencyKeyReused();
            }
            MDC.put("orderId", entry.orderId().toString());
            log.info("Idempotency-Key replayed the original reservation");
            return new Reservation(fromJson(entry.reservation()), true);
        });
    }

    /** What makes two requests "the same": the event and the lines, in order. */
    private static String requestHash(EventId eventId, List<TicketRequest> lines) {
        var canonical = new StringBuilder(eventId.toString());
        lines.forEach(line -> canonical.append('|').append(line.tierId()).append('x').append(line.quantity()));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String toJson(TicketsReserved reserved) {
        try {
            return json.writeValueAsString(reserved);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private TicketsReserved fromJson(String reservation) {
        try {
            return json.readValue(reservation, TicketsReserved.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
