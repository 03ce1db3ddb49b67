package dev.ticketing.api.rejection;

import dev.ticketing.api.TierId;

import java.util.Map;

public class CapacityBelowCommitted extends Rejection {

    public CapacityBelowCommitted(TierId tierId, int committed) {
        super("CAPACITY_BELOW_COMMITTED", 409, "Tier " + tierId + " already has " + committed + " ticket(s) sold or held", Map.of("tierId", tierId.toString(), "committed", committed));
    }
}
