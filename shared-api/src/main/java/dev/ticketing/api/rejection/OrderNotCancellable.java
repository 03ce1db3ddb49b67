package dev.ticketing.api.rejection;

import dev.ticketing.api.OrderId;

import java.util.Map;

public class OrderNotCancellable extends Rejection {

    public OrderNotCancellable(OrderId orderId) {
        super("ORDER_NOT_CANCELLABLE", 409, "Order " + orderId + " is no longer held: it was confirmed, expired or cancelled", Map.of("orderId", orderId.toString()));
    }
}
