package dev.ticketing.api.inventory;

import dev.ticketing.api.EventId;
import dev.ticketing.api.OrderId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Releases a live hold at once; {@code cancelledBy} is the user who asked (owner or organiser). */
public record CancelReservation(@TargetAggregateIdentifier EventId eventId, OrderId orderId, String cancelledBy) {
}
