package dev.ticketing.api.payment;

import dev.ticketing.api.EventId;
import dev.ticketing.api.OrderId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/** An attempt to pay failed ({@code at} = when we learnt it); the buyer may retry while the hold lasts. */
public record RecordPaymentFailure(@TargetAggregateIdentifier EventId eventId, OrderId orderId, String code,
                                   String message, Instant at) {
}
