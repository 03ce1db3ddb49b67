package dev.ticketing.api.rejection;

import dev.ticketing.api.TierId;

import java.util.Map;

public class TierSoldOut extends Rejection {

    public TierSoldOut(TierId tierId, int available) {
        super("TIER_SOLD_OUT", 409, "Tier " + tierId + " has only " + available + " ticket(s) left", Map.of("tierId", tierId.toString(), "available", available));
    }
}
