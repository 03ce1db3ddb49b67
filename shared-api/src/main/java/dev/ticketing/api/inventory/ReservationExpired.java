package dev.ticketing.api.inventory;

import dev.ticketing.api.EventId;
import dev.ticketing.api.OrderId;
import org.axonframework.serialization.Revision;

import java.util.List;

/** The hold timed out unpaid; {@code lines} go back on sale. */
@Revision("1")
public record ReservationExpired(EventId eventId, OrderId orderId, String userId, List<ReservedLine> lines) {
}
