package dev.ticketing.api.rejection;

import java.util.Map;

public class IdempotencyKeyReused extends Rejection {

    public IdempotencyKeyReused() {
        super("IDEMPOTENCY_KEY_REUSED", 422, "This Idempotency-Key was already used with a different request", Map.of());
    }
}
