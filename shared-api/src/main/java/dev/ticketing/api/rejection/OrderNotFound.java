package dev.ticketing.api.rejection;

import java.util.Map;

public class OrderNotFound extends Rejection {

    public OrderNotFound(String orderId) {
        super("ORDER_NOT_FOUND", 404, "No order " + orderId, Map.of());
    }
}
