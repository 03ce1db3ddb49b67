package dev.ticketing.api.payment;

import dev.ticketing.api.EventId;
import dev.ticketing.api.OrderId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/** Stripe is settling the payment: the hold must not expire before {@code holdUntil}. */
public record MarkPaymentProcessing(@TargetAggregateIdentifier EventId eventId, OrderId orderId, Instant holdUntil) {
}
