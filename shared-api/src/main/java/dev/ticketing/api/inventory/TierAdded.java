package dev.ticketing.api.inventory;

import dev.ticketing.api.EventId;
import org.axonframework.serialization.Revision;

@Revision("1")
public record TierAdded(EventId eventId, TierSpec tier) {
}
