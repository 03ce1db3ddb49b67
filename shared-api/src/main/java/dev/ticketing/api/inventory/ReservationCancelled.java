package dev.ticketing.api.inventory;

import dev.ticketing.api.EventId;
import dev.ticketing.api.OrderId;
import org.axonframework.serialization.Revision;

import java.util.List;

/** The hold is released; {@code lines} say which seats go back on sale. */
@Revision("1")
public record ReservationCancelled(EventId eventId, OrderId orderId, String userId, List<ReservedLine> lines,
                                   String cancelledBy) {
}
