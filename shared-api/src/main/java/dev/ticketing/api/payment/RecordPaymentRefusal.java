package dev.ticketing.api.payment;

import dev.ticketing.api.EventId;
import dev.ticketing.api.OrderId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Stripe refused for good to take the order's payment ({@code code}: Stripe's; {@code reason}: for people). */
public record RecordPaymentRefusal(@TargetAggregateIdentifier EventId eventId, OrderId orderId, String code,
                                   String reason) {
}
