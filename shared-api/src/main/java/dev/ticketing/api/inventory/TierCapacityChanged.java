package dev.ticketing.api.inventory;

import dev.ticketing.api.EventId;
import dev.ticketing.api.TierId;
import org.axonframework.serialization.Revision;

@Revision("1")
public record TierCapacityChanged(EventId eventId, TierId tierId, int oldCapacity, int newCapacity) {
}
