package dev.ticketing.command.reservation;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.ticketing.api.EventId;
import dev.ticketing.api.OrderId;
import dev.ticketing.api.TierId;
import dev.ticketing.api.inventory.ReservationCancelled;
import dev.ticketing.api.inventory.ReservedLine;
import dev.ticketing.api.inventory.TicketRequest;
import dev.ticketing.api.inventory.TicketsReserved;
import dev.ticketing.platform.security.CurrentUser;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.slf4j.MDC;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Buyers reserve tickets across tiers and cancel their holds. */
@RestController
public class OrderController {

    public record Selection(@NotNull UUID tierId, @NotNull @Min(1) @Max(100) Integer quantity) {
    }

    public record ReserveRequest(@NotNull @NotEmpty @Size(max = 50) List<@Valid @NotNull Selection> selections) {
    }

    public record Line(UUID tierId, int quantity, long unitPriceCents) {
        static List<Line> of(List<ReservedLine> lines) {
            return lines.stream().map(l -> new Line(l.tierId().value(), l.quantity(), l.unitPriceCents())).toList();
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OrderResponse(UUID orderId, UUID eventId, String status, Instant expiresAt, List<Line> lines,
                                Long totalCents, String currency) {
    }

    private final ReservationService reservations;

    public OrderController(ReservationService reservations) {
        this.reservations = reservations;
    }

    @PostMapping("/api/v1/events/{eventId}/orders")
    public ResponseEntity<OrderResponse> reserve(
            @PathVariable UUID eventId,
            @RequestHeader(name = "Idempotency-Key", required = false)
            @Size(min = 1, max = 255) @Pattern(regexp = "[\\x21-\\x7E]+", message = "must be printable ASCII without spaces")
            String idempotencyKey,
            @Valid @RequestBody ReserveRequest request, Authentication auth) {
        MDC.put("eventId", eventId.toString());
        List<TicketRequest> lines = request.selections().stream()
                .map(s -> new TicketRequest(new TierId(s.tierId()), s.quantity())).toList();
        TicketsReserved reserved = reservations.reserve(new EventId(eventId), CurrentUser.of(auth), lines,
                idempotencyKey).reserved();
        boolean free = reserved.totalCents() == 0;   // confirmed at once: nothing to pay, nothing held
        return ResponseEntity.created(URI.create("/api/v1/orders/" + reserved.orderId()))
                .body(new OrderResponse(reserved.orderId().value(), reserved.eventId().value(),
                        free ? "CONFIRMED" : "RESERVED", free ? null : reserved.expiresAt(), Line.of(reserved.lines()),
                        reserved.totalCents(), reserved.currency()));
    }

    @PostMapping("/api/v1/orders/{orderId}/cancel")
    public OrderResponse cancel(@PathVariable UUID orderId, Authentication auth) {
        ReservationCancelled cancelled = reservations.cancel(new OrderId(orderId), CurrentUser.of(auth));
        return new OrderResponse(orderId, cancelled.eventId().value(), "CANCELLED", null, Line.of(cancelled.lines()),
                null, null);
    }
}
