package dev.ticketing.api.inventory;

import dev.ticketing.api.TicketId;
import dev.ticketing.api.TierId;

/** A ticket issued on confirmation; {@code code} is what the door scans. */
public record IssuedTicket(TicketId ticketId, TierId tierId, String code) {
}
