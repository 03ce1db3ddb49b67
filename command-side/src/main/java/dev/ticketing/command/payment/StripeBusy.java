package dev.ticketing.command.payment;

import dev.ticketing.api.rejection.Rejection;

/** A webhook that needs Stripe to be read now, while Stripe is busy or out of reach: Stripe delivers it again. */
public class StripeBusy extends Rejection {

    public StripeBusy() {
        super("STRIPE_UNAVAILABLE", 503, "Stripe cannot be asked about this notification now; deliver it again later");
    }
}
