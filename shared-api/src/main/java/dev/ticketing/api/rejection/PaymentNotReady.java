package dev.ticketing.api.rejection;

import dev.ticketing.api.OrderId;

import java.util.Map;

public class PaymentNotReady extends Rejection {

    public PaymentNotReady(OrderId orderId) {
        super("PAYMENT_NOT_READY", 409, "The payment of order " + orderId + " is being set up; try again in a moment",
                Map.of("orderId", orderId.toString()));
    }
}
