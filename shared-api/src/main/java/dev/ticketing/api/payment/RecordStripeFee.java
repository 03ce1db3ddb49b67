package dev.ticketing.api.payment;

import dev.ticketing.api.EventId;
import dev.ticketing.api.OrderId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Stripe's fee for an order's charge, from its balance transaction: recorded on the order's payment. */
public record RecordStripeFee(EventId eventId, @TargetAggregateIdentifier OrderId orderId,
                              String balanceTransactionId, long feeCents, String currency) {
}
