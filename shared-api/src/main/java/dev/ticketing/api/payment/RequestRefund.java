package dev.ticketing.api.payment;

import dev.ticketing.api.EventId;
import dev.ticketing.api.OrderId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** An organiser asks for a confirmed order's payment back, in full. */
public record RequestRefund(@TargetAggregateIdentifier EventId eventId, OrderId orderId, String requestedBy) {
}
