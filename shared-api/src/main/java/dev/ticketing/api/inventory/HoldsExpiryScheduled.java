package dev.ticketing.api.inventory;

import dev.ticketing.api.EventId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * The inventory's holds are next looked at {@code at}: every hold ended by then expires then, and
 * the next look is scheduled. One persistent deadline per inventory, not one per hold: a hot
 * on-sale's holds cost no deadline row each. {@code at} is null when no hold is left to expire.
 */
@Revision("1")
public record HoldsExpiryScheduled(EventId eventId, Instant at) {
}
