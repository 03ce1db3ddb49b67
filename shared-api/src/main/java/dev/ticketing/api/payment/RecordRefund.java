package dev.ticketing.api.payment;

import dev.ticketing.api.EventId;
import dev.ticketing.api.OrderId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Stripe reports the order's charge refunded ({@code charge.refunded}). */
public record RecordRefund(@TargetAggregateIdentifier EventId eventId, OrderId orderId, long amountCents) {
}
