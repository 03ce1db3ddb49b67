package dev.ticketing.api.inventory;

import dev.ticketing.api.EventId;
import dev.ticketing.api.OrderId;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;

/**
 * A hold. Carries everything a replay needs (prices, total, expiry). {@code expiryDeadlineId} is
 * null: the inventory's one expiry deadline ends every hold ({@link HoldsExpiryScheduled}); holds
 * reserved before that carry the id of a timeout of their own, which a cancel or a confirmation
 * unschedules.
 */
@Revision("1")
public record TicketsReserved(EventId eventId, OrderId orderId, String userId, List<ReservedLine> lines,
                              long totalCents, String currency, Instant reservedAt, Instant expiresAt,
                              String expiryDeadlineId) {

    public int ticketCount() {
        return lines.stream().mapToInt(ReservedLine::quantity).sum();
    }
}
