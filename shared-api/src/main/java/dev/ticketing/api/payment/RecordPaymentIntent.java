package dev.ticketing.api.payment;

import dev.ticketing.api.EventId;
import dev.ticketing.api.OrderId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The buyer started to pay: Stripe made {@code paymentIntentId} for the order's live hold. */
public record RecordPaymentIntent(@TargetAggregateIdentifier EventId eventId, OrderId orderId,
                                  String paymentIntentId) {
}
