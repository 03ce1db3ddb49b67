package dev.ticketing.api.rejection;

import dev.ticketing.api.OrderId;

import java.util.Map;

public class PendingOrderExists extends Rejection {

    public PendingOrderExists(OrderId orderId) {
        super("PENDING_ORDER_EXISTS", 409, "You already hold unpaid order " + orderId + " for this event", Map.of("orderId", orderId.toString()));
    }
}
