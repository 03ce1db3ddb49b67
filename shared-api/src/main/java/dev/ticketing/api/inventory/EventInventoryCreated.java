package dev.ticketing.api.inventory;

import dev.ticketing.api.EventId;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;

/**
 * An event goes on sale. Revision 2: {@code maxTicketsPerOrder} is always present; revision 1
 * events may lack it and are upcast with the API's default (platform's EventInventoryCreatedUpcaster).
 */
@Revision("2")
public record EventInventoryCreated(EventId eventId, String name, Instant startsAt, String currency,
                                    Integer maxAttendees, boolean membersOnly, int maxTicketsPerOrder,
                                    List<TierSpec> tiers) {
}
