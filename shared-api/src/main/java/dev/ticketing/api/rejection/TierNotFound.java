package dev.ticketing.api.rejection;

import dev.ticketing.api.TierId;

import java.util.Map;

public class TierNotFound extends Rejection {

    public TierNotFound(TierId tierId) {
        super("TIER_NOT_FOUND", 404, "No tier " + tierId + " in this event", Map.of("tierId", tierId.toString()));
    }
}
