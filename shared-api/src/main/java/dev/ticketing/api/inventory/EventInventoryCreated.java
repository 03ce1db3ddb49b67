package dev.ticketing.api.inventory;

import dev.ticketing.api.EventId;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;

@Revision("1")
public record EventInventoryCreated(EventId eventId, String name, Instant startsAt, String currency,
                                    Integer maxAttendees, boolean membersOnly, int maxTicketsPerOrder,
                                    List<TierSpec> tiers) {
}
