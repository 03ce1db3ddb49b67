package dev.ticketing.api.inventory;

import dev.ticketing.api.EventId;
import dev.ticketing.api.OrderId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Holds tickets across tiers for one buyer, all lines or none. Time comes with the command
 * ({@code requestedAt}, {@code holdFor}) so the decision stays pure. Retries are made safe by
 * the Idempotency-Key (see the command side's order directory), not by reusing an order id.
 */
public record ReserveTickets(@TargetAggregateIdentifier EventId eventId, OrderId orderId, String userId,
                             List<TicketRequest> lines, boolean member, Instant requestedAt, Duration holdFor) {
}
