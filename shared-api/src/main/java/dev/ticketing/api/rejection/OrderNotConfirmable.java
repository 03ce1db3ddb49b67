package dev.ticketing.api.rejection;

import dev.ticketing.api.OrderId;

import java.util.Map;

public class OrderNotConfirmable extends Rejection {

    public OrderNotConfirmable(OrderId orderId) {
        super("ORDER_NOT_CONFIRMABLE", 409, "Order " + orderId + " has no live hold to confirm", Map.of("orderId", orderId.toString()));
    }
}
