package dev.ticketing.api.inventory;

import dev.ticketing.api.EventId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.List;

/** Puts an event on sale. {@code maxAttendees} is null when there is no event-wide limit. */
public record CreateEventInventory(@TargetAggregateIdentifier EventId eventId, String name, Instant startsAt,
                                   String currency, Integer maxAttendees, boolean membersOnly,
                                   int maxTicketsPerOrder, List<TierSpec> tiers) {
}
