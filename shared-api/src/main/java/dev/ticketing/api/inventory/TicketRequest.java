package dev.ticketing.api.inventory;

import dev.ticketing.api.TierId;

/** One line of what a buyer asks for. */
public record TicketRequest(TierId tierId, int quantity) {
}
