package dev.ticketing.api.inventory;

import dev.ticketing.api.EventId;
import dev.ticketing.api.TierId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record ChangeTierCapacity(@TargetAggregateIdentifier EventId eventId, TierId tierId, int capacity) {
}
