package dev.ticketing.api.inventory;

import dev.ticketing.api.EventId;
import dev.ticketing.api.OrderId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/** Turns a live hold into sold tickets (sent once the payment succeeded). */
public record ConfirmOrder(@TargetAggregateIdentifier EventId eventId, OrderId orderId, Instant confirmedAt) {
}
