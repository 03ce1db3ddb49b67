package dev.ticketing.api.inventory;

import dev.ticketing.api.TierId;

/** One line of a hold, with the unit price fixed at reservation time. */
public record ReservedLine(TierId tierId, int quantity, long unitPriceCents) {

    public long amountCents() {
        return unitPriceCents * quantity;
    }
}
