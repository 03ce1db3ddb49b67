package dev.ticketing.query.orders;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticketing.api.OrderId;
import dev.ticketing.api.inventory.OrderConfirmed;
import dev.ticketing.api.inventory.ReservationCancelled;
import dev.ticketing.api.inventory.ReservationExpired;
import dev.ticketing.api.inventory.TicketsReserved;
import dev.ticketing.api.payment.LatePaymentRefused;
import dev.ticketing.api.payment.OrderRefunded;
import dev.ticketing.api.payment.PaymentFailed;
import dev.ticketing.api.payment.PaymentIntentCreated;
import dev.ticketing.api.payment.PaymentProcessing;
import dev.ticketing.api.payment.PaymentRefused;
import dev.ticketing.api.payment.RefundRequested;
import dev.ticketing.api.payment.RefundRefused;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.stereotype.Component;

/** Each order's state, lines and tickets, for its buyer and for organisers. */
@Component
@ProcessingGroup(OrderProjection.PROCESSING_GROUP)
public class OrderProjection {

    public static final String PROCESSING_GROUP = "orders";

    private final OrderViewRepository orders;
    private final ObjectMapper json;

    public OrderProjection(OrderViewRepository orders, ObjectMapper json) {
        this.orders = orders;
        this.json = json;
    }

    @EventHandler
    void on(TicketsReserved reserved) throws JsonProcessingException {
        orders.save(new OrderView(reserved.orderId().value(), reserved.eventId().value(), reserved.userId(),
                reserved.reservedAt(), reserved.expiresAt(), reserved.totalCents(), reserved.currency(),
                json.writeValueAsString(reserved.lines())));
    }

    @EventHandler
    void on(ReservationCancelled cancelled) {
        order(cancelled.orderId()).moveTo(OrderStatus.CANCELLED);
    }

    @EventHandler
    void on(ReservationExpired expired) {
        order(expired.orderId()).moveTo(OrderStatus.EXPIRED);
    }

    @EventHandler
    void on(OrderConfirmed confirmed) throws JsonProcessingException {
        order(confirmed.orderId()).confirm(json.writeValueAsString(confirmed.tickets()), confirmed.totalCents() > 0);
    }

    @EventHandler
    void on(PaymentIntentCreated created) {
        order(created.orderId()).paymentIntent(created.paymentIntentId());
    }

    @EventHandler
    void on(PaymentProcessing processing) {
        OrderView order = order(processing.orderId());
        order.moveTo(OrderStatus.PAYMENT_PROCESSING);
        order.payment("processing", null);
    }

    @EventHandler
    void on(PaymentFailed failed) {
        OrderView order = order(failed.orderId());
        order.moveTo(OrderStatus.RESERVED);
        order.payment("requires_payment_method", failed.message());
    }

    /** Stripe would never take this payment: the hold was released, nothing charged. */
    @EventHandler
    void on(PaymentRefused refused) {
        OrderView order = order(refused.orderId());
        order.moveTo(OrderStatus.CANCELLED);
        order.payment("refused", refused.reason());
    }

    @EventHandler
    void on(RefundRefused refused) {
        order(refused.orderId()).payment("refund_refused", "Stripe refused the refund: " + refused.reason());
    }

    @EventHandler
    void on(LatePaymentRefused refused) {
        order(refused.orderId()).payment("refund_pending", "Paid after the seats were gone: refunded in full");
    }

    @EventHandler
    void on(RefundRequested requested) {
        order(requested.orderId()).payment("refund_pending", null);
    }

    /** Refunded: the tickets stay listed, marked void, so a buyer sees what happened to them. */
    @EventHandler
    void on(OrderRefunded refunded) throws JsonProcessingException {
        OrderView order = order(refunded.orderId());
        ArrayNode tickets = order.getTickets() == null ? json.createArrayNode() : (ArrayNode) json.readTree(order.getTickets());
        tickets.forEach(ticket -> ((ObjectNode) ticket).put("void", true));
        order.refund(json.writeValueAsString(tickets));
    }

    @ResetHandler
    void reset() {
        orders.deleteAllInBatch();
    }

    private OrderView order(OrderId orderId) {
        return orders.findById(orderId.value()).orElseThrow();
    }
}
