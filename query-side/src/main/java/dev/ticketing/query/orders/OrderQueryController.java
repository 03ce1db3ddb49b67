package dev.ticketing.query.orders;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticketing.api.rejection.Forbidden;
import dev.ticketing.api.rejection.OrderNotFound;
import dev.ticketing.platform.security.CurrentUser;
import dev.ticketing.platform.security.Roles;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A buyer's orders, and any order for organisers and auditors. Reads first let the orders
 * projection catch up with the event store (bounded), so a buyer sees their own last write.
 */
@RestController
public class OrderQueryController {

    private static final Duration READ_YOUR_WRITES_WAIT = Duration.ofSeconds(3);

    /** {@code payment} is null until the payment intent exists; {@code tickets} are filled once confirmed. */
    public record OrderDetails(UUID orderId, UUID eventId, String userId, OrderStatus status, Instant expiresAt,
                               JsonNode lines, long totalCents, String currency, Payment payment, JsonNode tickets) {
    }

    public record Payment(String paymentIntentId, String status, String lastError) {
    }

    private final OrderViewRepository orders;
    private final ProjectionCatchUp catchUp;
    private final ObjectMapper json;

    public OrderQueryController(OrderViewRepository orders, ProjectionCatchUp catchUp, ObjectMapper json) {
        this.orders = orders;
        this.catchUp = catchUp;
        this.json = json;
    }

    @GetMapping("/api/v1/orders/{orderId}")
    public OrderDetails order(@PathVariable UUID orderId, Authentication auth) {
        CurrentUser caller = CurrentUser.of(auth);
        boolean caughtUp = catchUp.await(OrderProjection.PROCESSING_GROUP, READ_YOUR_WRITES_WAIT);
        OrderView view = orders.findById(orderId).orElseThrow(() -> caughtUp
                ? new OrderNotFound(orderId.toString()) : new ReadModelBehind());
        if (!view.getUserId().equals(caller.userId()) && !caller.has(Roles.ORGANIZER) && !caller.has(Roles.AUDITOR)) {
            throw new Forbidden("This order belongs to someone else");
        }
        return details(view);
    }

    @GetMapping("/api/v1/me/orders")
    public List<OrderDetails> myOrders(Authentication auth) {
        catchUp.await(OrderProjection.PROCESSING_GROUP, READ_YOUR_WRITES_WAIT);
        return orders.findByUserIdOrderByCreatedAtDesc(CurrentUser.of(auth).userId()).stream()
                .map(this::details).toList();
    }

    private OrderDetails details(OrderView view) {
        try {
            return new OrderDetails(view.getOrderId(), view.getEventId(), view.getUserId(), view.getStatus(),
                    view.getExpiresAt(), json.readTree(view.getLines()), view.getTotalCents(), view.getCurrency(),
                    view.getPaymentIntentId() == null ? null : new Payment(view.getPaymentIntentId(),
                            view.getPaymentStatus(), view.getPaymentLastError()),
                    view.getTickets() == null ? json.createArrayNode() : json.readTree(view.getTickets()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable order view " + view.getOrderId(), e);
        }
    }
}
