package dev.ticketing.api.payment;

import dev.ticketing.api.EventId;
import dev.ticketing.api.OrderId;
import org.axonframework.serialization.Revision;

/** Money arrived for an order whose seats are gone: it is to be refunded in full. */
@Revision("1")
public record LatePaymentRefused(EventId eventId, OrderId orderId, String userId, long amountCents, String currency) {
}
