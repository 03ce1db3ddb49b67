package dev.ticketing.api.payment;

import dev.ticketing.api.EventId;
import dev.ticketing.api.OrderId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The Stripe payment intent that will pay for an order. */
public record RecordPaymentIntent(@TargetAggregateIdentifier EventId eventId, OrderId orderId, String paymentIntentId) {
}
