package dev.ticketing.api.inventory;

import dev.ticketing.api.EventId;
import dev.ticketing.api.OrderId;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;

/**
 * A hold. Carries everything a replay needs (prices, total, expiry). {@code expiryDeadlineId}
 * identifies the scheduled timeout so a cancel or a confirmation can unschedule it after a reload.
 */
@Revision("1")
public record TicketsReserved(EventId eventId, OrderId orderId, String userId, List<ReservedLine> lines,
                              long totalCents, String currency, Instant reservedAt, Instant expiresAt,
                              String expiryDeadlineId) {

    public int ticketCount() {
        return lines.stream().mapToInt(ReservedLine::quantity).sum();
    }
}
