package dev.ticketing.api.payment;

import dev.ticketing.api.EventId;
import dev.ticketing.api.OrderId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Stripe refused for good to refund the order (e.g. its charge is disputed). */
public record RecordRefundRefusal(@TargetAggregateIdentifier EventId eventId, OrderId orderId, String code,
                                  String reason) {
}
