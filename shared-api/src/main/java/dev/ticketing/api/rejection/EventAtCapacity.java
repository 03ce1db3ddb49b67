package dev.ticketing.api.rejection;

import java.util.Map;

public class EventAtCapacity extends Rejection {

    public EventAtCapacity(int available) {
        super("EVENT_AT_CAPACITY", 409, "The event has only " + available + " place(s) left", Map.of("available", available));
    }
}
