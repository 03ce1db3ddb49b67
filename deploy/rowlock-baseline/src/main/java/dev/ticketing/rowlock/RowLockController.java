package dev.ticketing.rowlock;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.ticketing.rowlock.RowLockReservations.Line;
import dev.ticketing.rowlock.RowLockReservations.Order;
import dev.ticketing.rowlock.RowLockReservations.Refused;
import dev.ticketing.rowlock.RowLockReservations.Tier;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

/** The service's two requests an on-sale needs, with its JSON: put an event on sale, reserve on it. */
@RestController
public class RowLockController {

    public record Selection(UUID tierId, Integer quantity) {
    }

    public record ReserveRequest(List<Selection> selections) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OrderResponse(UUID orderId, UUID eventId, String status, Instant expiresAt, List<Line> lines,
                                Long totalCents, String currency) {
    }

    public record TierSpec(String name, long priceCents, int capacity) {
    }

    public record EventSpec(String name, String currency, Integer maxAttendees, Integer maxTicketsPerOrder,
                            List<TierSpec> tiers) {
    }

    public record EventCreated(UUID eventId, List<Tier> tiers) {
    }

    private static final int MAX_TICKETS_PER_ORDER = 10;   // the service's default

    private final RowLockReservations reservations;

    RowLockController(RowLockReservations reservations) {
        this.reservations = reservations;
    }

    @PostMapping("/api/v1/events/{eventId}/orders")
    public ResponseEntity<OrderResponse> reserve(@PathVariable UUID eventId,
                                                 @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
                                                 @RequestBody ReserveRequest request, Authentication auth) {
        SortedMap<UUID, Integer> wanted = new TreeMap<>();
        if (request.selections() == null || request.selections().isEmpty() || request.selections().size() > 50) {
            throw invalid("selections: 1 to 50");
        }
        for (Selection selection : request.selections()) {
            if (selection == null || selection.tierId() == null || selection.quantity() == null
                    || selection.quantity() < 1 || selection.quantity() > 100) {
                throw invalid("selections: a tierId and a quantity of 1 to 100 each");
            }
            if (wanted.put(selection.tierId(), selection.quantity()) != null) {
                throw invalid("selections: a tier at most once");
            }
        }
        Order order = reservations.reserve(eventId, auth.getName(), idempotencyKey, wanted);
        return ResponseEntity.created(URI.create("/api/v1/orders/" + order.orderId()))
                .body(new OrderResponse(order.orderId(), order.eventId(), "RESERVED", order.expiresAt(), order.lines(),
                        order.totalCents(), order.currency()));
    }

    @PostMapping("/api/v1/events")
    public ResponseEntity<EventCreated> createEvent(@RequestBody EventSpec spec) {
        if (spec.name() == null || spec.currency() == null || spec.tiers() == null || spec.tiers().isEmpty()) {
            throw invalid("name, currency and tiers are required");
        }
        UUID eventId = UUID.randomUUID();
        List<Tier> tiers = reservations.createEvent(eventId, spec.name(), spec.currency(), spec.maxAttendees(),
                spec.maxTicketsPerOrder() == null ? MAX_TICKETS_PER_ORDER : spec.maxTicketsPerOrder(),
                spec.tiers().stream().map(t -> new Tier(UUID.randomUUID(), t.name(), t.priceCents(), t.capacity())).toList());
        return ResponseEntity.created(URI.create("/api/v1/events/" + eventId)).body(new EventCreated(eventId, tiers));
    }

    /** As the service: problem+json with a stable {@code code}. */
    @ExceptionHandler(Refused.class)
    ResponseEntity<ProblemDetail> refused(Refused refused) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(refused.status, refused.getMessage());
        problem.setType(URI.create("urn:ticketing:problem:" + refused.code.toLowerCase().replace('_', '-')));
        problem.setProperty("code", refused.code);
        refused.properties.forEach(problem::setProperty);
        return ResponseEntity.status(refused.status).body(problem);
    }

    private static Refused invalid(String detail) {
        return new Refused(HttpStatus.BAD_REQUEST, "VALIDATION_FAILED", detail, Map.of());
    }
}
