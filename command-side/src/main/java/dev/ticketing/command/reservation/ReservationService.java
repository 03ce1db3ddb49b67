package dev.ticketing.command.reservation;

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
import dev.ticketing.api.rejection.Rejection;
import dev.ticketing.command.inventory.InventoryCommands;
import dev.ticketing.platform.security.CurrentUser;
import dev.ticketing.platform.security.Roles;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reserving and cancelling on behalf of a buyer. The Idempotency-Key and the request's hash
 * travel as metadata onto TicketsReserved, where the order directory records them in the same
 * transaction: a key never reserves twice, and a retry (even a concurrent one, which the
 * inventory refuses as a second pending order) is answered with the original reservation.
 */
@Service
public class ReservationService {

    private static final Logger log = LoggerFactory.getLogger(ReservationService.class);

    /** A granted reservation; {@code replayed} when an Idempotency-Key returned an earlier one. */
    public record Reservation(TicketsReserved reserved, boolean replayed) {
    }

    private final InventoryCommands commands;
    private final ReservationBatcher batcher;
    private final OrderDirectory directory;
    private final ReservationProperties properties;
    private final Clock clock;
    private final MeterRegistry meters;

    public ReservationService(InventoryCommands commands, ReservationBatcher batcher, OrderDirectory directory,
                              ReservationProperties properties, Optional<Clock> clock,
                              MeterRegistry meters) {
        this.commands = commands;
        this.batcher = batcher;
        this.directory = directory;
        this.properties = properties;
        this.clock = clock.orElse(Clock.systemUTC());
        this.meters = meters;
    }

    public Reservation reserve(EventId eventId, CurrentUser buyer, List<TicketRequest> lines, String idempotencyKey) {
        String requestHash = idempotencyKey == null ? null : requestHash(eventId, lines);
        // No look-up first: a key used before fails the reservation (the buyer's live hold, or the
        // directory's unique key at commit), and the earlier answer is found then. A retry is rare;
        // every reservation of an on-sale would pay for the look-up.
        OrderId orderId = OrderId.random();
        MDC.put("orderId", orderId.toString());
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        var command = new ReserveTickets(eventId, orderId, buyer.userId(), lines, buyer.has(Roles.MEMBER), now,
                properties.timeout());
        Map<String, String> metadata = new HashMap<>();
        metadata.put("userId", buyer.userId());
        if (idempotencyKey != null) {
            metadata.put(OrderDirectory.IDEMPOTENCY_KEY, idempotencyKey);
            metadata.put(OrderDirectory.REQUEST_HASH, requestHash);
        }
        try {
            TicketsReserved reserved = batcher.reserve(command, metadata);
            // DEBUG: an on-sale makes hundreds a second; the counters below are what operators watch
            log.debug("Reserved {} ticket(s) until {}", reserved.ticketCount(), reserved.expiresAt());
            meters.counter("ticketing.reservations", "outcome", "RESERVED").increment();
            meters.counter("ticketing.tickets.reserved").increment(reserved.ticketCount());
            return new Reservation(reserved, false);
        } catch (RuntimeException refused) {
            // a request with the same key may have got in first: then answer as it was answered
            if (idempotencyKey != null) {
                Optional<Reservation> earlier = replay(buyer, idempotencyKey, requestHash);
                if (earlier.isPresent()) {
                    return earlier.get();
                }
            }
            meters.counter("ticketing.reservations", "outcome",
                    refused instanceof Rejection rejection ? rejection.code() : "ERROR").increment();
            throw refused;
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
                new CancelReservation(order.eventId(), orderId, caller.userId()), caller.userId(), Map.of());
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
            meters.counter("ticketing.reservations", "outcome", "REPLAYED").increment();
            return new Reservation(directory.reservation(entry), true);
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
}
