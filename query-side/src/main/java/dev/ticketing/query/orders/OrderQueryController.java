package dev.ticketing.query.orders;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticketing.platform.openapi.ApiTags;
import dev.ticketing.platform.security.CurrentUser;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A buyer's orders, and any order for organisers and auditors; who may read which, and the
 * read-your-writes wait, are {@link ReadableOrders}'.
 */
@RestController
@Tag(name = ApiTags.ORDERS)
public class OrderQueryController {

    /**
     * {@code payment} is null until the buyer starts to pay (and for a free order); {@code tickets}
     * are filled once confirmed.
     */
    public record OrderDetails(UUID orderId, UUID eventId, String userId, OrderStatus status, Instant expiresAt,
                               JsonNode lines, long totalCents, String currency, Payment payment, JsonNode tickets) {
    }

    @Schema(name = "OrderPayment")
    public record Payment(String paymentIntentId, String status, String lastError) {
    }

    private final OrderViewRepository orders;
    private final ReadableOrders readable;
    private final ObjectMapper json;

    public OrderQueryController(OrderViewRepository orders, ReadableOrders readable, ObjectMapper json) {
        this.orders = orders;
        this.readable = readable;
        this.json = json;
    }

    @Operation(operationId = "getOrder", summary = "An order",
            description = "The order with its lines, its payment (null until the buyer starts to pay, and for a free "
                    + "order) and, once confirmed, its tickets. For its buyer, organisers and auditors. A read right "
                    + "after the reservation's 201 finds the order.")
    @ApiResponse(responseCode = "200", description = "The order")
    @ApiResponse(responseCode = "403", description = "FORBIDDEN: someone else's order")
    @ApiResponse(responseCode = "404", description = "ORDER_NOT_FOUND")
    @ApiResponse(responseCode = "503", description = "READ_MODEL_BEHIND: the order may exist but is not read yet, "
            + "try again in a few seconds; READ_MODEL_REBUILDING: the orders read model is being rebuilt")
    @GetMapping("/api/v1/orders/{orderId}")
    public OrderDetails order(@PathVariable UUID orderId, Authentication auth) {
        return details(readable.get(orderId, auth));
    }

    @Operation(operationId = "listMyOrders", summary = "The caller's orders", description = "Newest first.")
    @ApiResponse(responseCode = "200", description = "The caller's orders")
    @ApiResponse(responseCode = "503", description = "READ_MODEL_REBUILDING: the orders read model is "
            + "being rebuilt (a replay); try again after Retry-After")
    @GetMapping("/api/v1/me/orders")
    public List<OrderDetails> myOrders(Authentication auth) {
        readable.awaitCatchUp();
        return orders.findByUserIdOrderByCreatedAtDesc(CurrentUser.of(auth).userId()).stream()
                .map(this::details).toList();
    }

    private OrderDetails details(OrderView view) {
        try {
            return new OrderDetails(view.getOrderId(), view.getEventId(), view.getUserId(), view.getStatus(),
                    view.getExpiresAt(), json.readTree(view.getLines()), view.getTotalCents(), view.getCurrency(),
                    view.getPaymentStatus() == null ? null : new Payment(view.getPaymentIntentId(),
                            view.getPaymentStatus(), view.getPaymentLastError()),
                    view.getTickets() == null ? json.createArrayNode() : json.readTree(view.getTickets()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable order view " + view.getOrderId(), e);
        }
    }
}
