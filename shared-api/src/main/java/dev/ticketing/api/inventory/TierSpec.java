package dev.ticketing.api.inventory;

import dev.ticketing.api.TierId;

/** A tier as the organiser defines it: price in minor units of the event's currency. */
public record TierSpec(TierId tierId, String name, long priceCents, int capacity) {
}
