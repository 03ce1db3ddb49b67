package dev.ticketing.api.rejection;

import java.util.Map;

/** No issued ticket with this id in this order: unknown, or the order is not (or no longer) confirmed. */
public class TicketNotFound extends Rejection {

    public TicketNotFound(String orderId, String ticketId) {
        super("TICKET_NOT_FOUND", 404, "No ticket " + ticketId + " issued in order " + orderId, Map.of());
    }
}
