package dev.ticketing.api.inventory;

import dev.ticketing.api.EventId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record AddTier(@TargetAggregateIdentifier EventId eventId, TierSpec tier) {
}
