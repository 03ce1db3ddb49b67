package dev.ticketing.api.rejection;

import dev.ticketing.api.OrderId;

import java.util.Map;

/** Stripe refused for good to take this order's payment; {@code detail} is a sentence a page can show. */
public class PaymentUnavailable extends Rejection {

    public PaymentUnavailable(OrderId orderId, String detail) {
        super("PAYMENT_UNAVAILABLE", 409, detail, Map.of("orderId", orderId.toString()));
    }
}
