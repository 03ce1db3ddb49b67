package dev.ticketing.api.payment;

import dev.ticketing.api.EventId;
import dev.ticketing.api.OrderId;
import dev.ticketing.api.inventory.ReservedLine;
import org.axonframework.serialization.Revision;

import java.util.List;

/**
 * The payment went back to the buyer. {@code seatsReleased}: the order had been sold and its
 * {@code lines} go back on sale, its tickets void; false for a late payment that never got seats.
 */
@Revision("1")
public record OrderRefunded(EventId eventId, OrderId orderId, String userId, List<ReservedLine> lines,
                            long amountCents, String currency, boolean seatsReleased) {
}
