package dev.ticketing.api.rejection;

import java.util.List;
import java.util.Map;

/** VALIDATION_FAILED raised by a rule that needs state (e.g. the event's per-order limit). */
public class InvalidRequest extends Rejection {

    public InvalidRequest(String field, String message) {
        super("VALIDATION_FAILED", 400, field + ": " + message,
              Map.of("errors", List.of(Map.of("field", field, "message", message))));
    }
}
