package dev.ticketing.query.orders;

import dev.ticketing.api.rejection.Rejection;

/**
 * The read model has not caught up with the event store in time (e.g. right after a node
 * restart, until it takes over its processing claim), so "not found" cannot be told truthfully.
 */
public class ReadModelBehind extends Rejection {

    public ReadModelBehind() {
        super("READ_MODEL_BEHIND", 503, "The order list is catching up with recent changes; try again in a few seconds");
    }
}
