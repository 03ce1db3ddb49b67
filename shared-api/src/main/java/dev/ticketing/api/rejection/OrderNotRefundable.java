package dev.ticketing.api.rejection;

import dev.ticketing.api.OrderId;

import java.util.Map;

public class OrderNotRefundable extends Rejection {

    public OrderNotRefundable(OrderId orderId) {
        super("ORDER_NOT_REFUNDABLE", 409, "Order " + orderId + " is not confirmed, so there is nothing to refund",
                Map.of("orderId", orderId.toString()));
    }
}
