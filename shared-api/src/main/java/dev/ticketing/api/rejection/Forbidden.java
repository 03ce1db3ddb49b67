package dev.ticketing.api.rejection;

import java.util.Map;

public class Forbidden extends Rejection {

    public Forbidden(String detail) {
        super("FORBIDDEN", 403, detail, Map.of());
    }
}
