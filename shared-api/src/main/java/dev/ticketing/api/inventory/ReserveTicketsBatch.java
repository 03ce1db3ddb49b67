package dev.ticketing.api.inventory;

import dev.ticketing.api.EventId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;
import java.util.Map;

/**
 * Several buyers' {@link ReserveTickets} for one event, decided one after the other in one unit of
 * work: one load, one transaction and one commit for all of them (group commit). Each item is
 * answered on its own: its {@link TicketsReserved}, or the rejection that refused it. Each item's
 * metadata (its buyer, Idempotency-Key) goes onto the events it produces.
 */
public record ReserveTicketsBatch(@TargetAggregateIdentifier EventId eventId, List<Item> items) {

    public record Item(ReserveTickets command, Map<String, String> metaData) {
    }
}
