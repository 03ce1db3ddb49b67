package dev.ticketing.api.payment;

import dev.ticketing.api.EventId;
import dev.ticketing.api.OrderId;
import dev.ticketing.api.inventory.ReservedLine;
import org.axonframework.serialization.Revision;

import java.util.List;

/**
 * Stripe refused for good to take this order's payment (e.g. an amount above what it charges at
 * once): the hold is released and nothing was charged. {@code code} is Stripe's.
 */
@Revision("1")
public record PaymentRefused(EventId eventId, OrderId orderId, String userId, List<ReservedLine> lines, String code,
                             String reason) {
}
