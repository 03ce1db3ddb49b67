package dev.ticketing.api.inventory;

import dev.ticketing.api.EventId;
import dev.ticketing.api.OrderId;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;

/**
 * The seats are sold and the tickets issued. {@code late}: paid after the hold had ended (expired
 * or cancelled), so the seats were taken from what was free, not from the hold.
 */
@Revision("1")
public record OrderConfirmed(EventId eventId, OrderId orderId, String userId, List<ReservedLine> lines,
                             long totalCents, String currency, List<IssuedTicket> tickets, Instant confirmedAt,
                             boolean late) {
}
