package dev.ticketing.command.payment;

import dev.ticketing.api.rejection.Rejection;

public class InvalidSignature extends Rejection {

    public InvalidSignature() {
        super("INVALID_SIGNATURE", 400, "The Stripe-Signature header does not verify this body");
    }
}
