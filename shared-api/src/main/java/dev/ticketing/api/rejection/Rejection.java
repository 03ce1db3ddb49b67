package dev.ticketing.api.rejection;

import java.util.Map;

/**
 * A request refused by a business rule. Carries the stable API {@code code}, the HTTP status it
 * maps to and the extra fields the contract puts in the problem body. Nothing is stored when one
 * is thrown. Stack traces are not filled: a rejection is an answer, not a fault.
 */
public abstract class Rejection extends RuntimeException {

    private final String code;
    private final int status;
    private final Map<String, Object> properties;

    protected Rejection(String code, int status, String detail, Map<String, Object> properties) {
        super(detail, null, false, false);
        this.code = code;
        this.status = status;
        this.properties = Map.copyOf(properties);
    }

    protected Rejection(String code, int status, String detail) {
        this(code, status, detail, Map.of());
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }

    /** Extra members of the problem body, e.g. {@code tierId} and {@code available}. */
    public Map<String, Object> properties() {
        return properties;
    }
}
