package dev.ticketing.api.rejection;

import dev.ticketing.api.OrderId;

import java.util.Map;

/** Paying was asked for an order that is not waiting for a payment (ended, or free). */
public class OrderNotPayable extends Rejection {

    public OrderNotPayable(OrderId orderId, String why) {
        super("ORDER_NOT_PAYABLE", 409, "Order " + orderId + " " + why, Map.of("orderId", orderId.toString()));
    }
}
