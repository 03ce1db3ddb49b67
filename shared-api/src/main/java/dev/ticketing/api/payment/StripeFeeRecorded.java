package dev.ticketing.api.payment;

import dev.ticketing.api.EventId;
import dev.ticketing.api.OrderId;
import org.axonframework.serialization.Revision;

@Revision("1")
public record StripeFeeRecorded(EventId eventId, OrderId orderId, String balanceTransactionId, long feeCents,
                                String currency) {
}
