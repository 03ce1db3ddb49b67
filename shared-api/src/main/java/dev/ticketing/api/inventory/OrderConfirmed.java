package dev.ticketing.api.inventory;

import dev.ticketing.api.EventId;
import dev.ticketing.api.OrderId;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;

/** The held seats are sold and the tickets issued. */
@Revision("1")
public record OrderConfirmed(EventId eventId, OrderId orderId, String userId, List<ReservedLine> lines,
                             long totalCents, String currency, List<IssuedTicket> tickets, Instant confirmedAt) {
}
