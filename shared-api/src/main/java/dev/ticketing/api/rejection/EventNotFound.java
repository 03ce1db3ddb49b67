package dev.ticketing.api.rejection;

import java.util.Map;

public class EventNotFound extends Rejection {

    public EventNotFound(String eventId) {
        super("EVENT_NOT_FOUND", 404, "No event " + eventId, Map.of());
    }
}
