package dev.ticketing.command.reservation;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.ticketing.api.EventId;
import dev.ticketing.api.OrderId;
import dev.ticketing.api.TierId;
import dev.ticketing.api.inventory.ReservationCancelled;
import dev.ticketing.api.inventory.ReservedLine;
import dev.ticketing.api.inventory.TicketRequest;
import dev.ticketing.api.inventory.TicketsReserved;
import dev.ticketing.platform.openapi.ApiTags;
import dev.ticketing.platform.security.CurrentUser;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
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
@Tag(name = ApiTags.ORDERS)
public class OrderController {

    public record Selection(@NotNull UUID tierId, @NotNull @Min(1) @Max(100) Integer quantity) {
    }

    public record ReserveRequest(@NotNull @NotEmpty @Size(max = 50) List<@Valid @NotNull Selection> selections) {
    }

    @Schema(name = "OrderLine")
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

    @Operation(operationId = "reserve", summary = "Reserve tickets",
            description = "Holds the selected tickets across tiers, all or none, for the reservation timeout (15 "
                    + "minutes by default): `status` RESERVED with `expiresAt`. A free order (every line priced 0) "
                    + "is confirmed at once, without `expiresAt`. No Stripe call is made. The same "
                    + "`Idempotency-Key` and body from the same user answers the original order again.")
    @ApiResponse(responseCode = "201", description = "Created: the order, held (or confirmed when free)",
            headers = @Header(name = "Location", description = "The order's path, /api/v1/orders/{orderId}", schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "400", description = "VALIDATION_FAILED: empty selections, a quantity below 1, more "
            + "than the event's maxTicketsPerOrder, a tier selected twice, a malformed Idempotency-Key")
    @ApiResponse(responseCode = "403", description = "MEMBERSHIP_REQUIRED: a members-only event and the caller "
            + "is not a member")
    @ApiResponse(responseCode = "404", description = "EVENT_NOT_FOUND; TIER_NOT_FOUND")
    @ApiResponse(responseCode = "409", description = "TIER_SOLD_OUT: a tier has fewer left than asked (`tierId`, "
            + "`available`); EVENT_AT_CAPACITY: the event's maxAttendees would be exceeded (`available`); "
            + "PENDING_ORDER_EXISTS: the caller already holds an unpaid order for this event (`orderId`)")
    @ApiResponse(responseCode = "422", description = "IDEMPOTENCY_KEY_REUSED: this Idempotency-Key came with "
            + "another body")
    @PostMapping("/api/v1/events/{eventId}/orders")
    public ResponseEntity<OrderResponse> reserve(
            @PathVariable UUID eventId,
            @Parameter(description = "Any string the client chooses (1 to 255 printable ASCII characters): "
                    + "a retry with the same key and body answers the original order")
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

    @Operation(operationId = "cancelOrder", summary = "Cancel a held order",
            description = "Ends the hold at once; the tickets are back on sale. By the buyer or an organiser.")
    @ApiResponse(responseCode = "200", description = "The order, `status` CANCELLED, with the lines released")
    @ApiResponse(responseCode = "403", description = "FORBIDDEN: neither the buyer nor an organiser")
    @ApiResponse(responseCode = "404", description = "ORDER_NOT_FOUND")
    @ApiResponse(responseCode = "409", description = "ORDER_NOT_CANCELLABLE: the order is already confirmed, "
            + "expired or cancelled")
    @PostMapping("/api/v1/orders/{orderId}/cancel")
    public OrderResponse cancel(@PathVariable UUID orderId, Authentication auth) {
        ReservationCancelled cancelled = reservations.cancel(new OrderId(orderId), CurrentUser.of(auth));
        return new OrderResponse(orderId, cancelled.eventId().value(), "CANCELLED", null, Line.of(cancelled.lines()),
                null, null);
    }
}
