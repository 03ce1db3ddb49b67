package dev.ticketing.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;
import java.util.UUID;

/** An occasion people attend (not a domain event). Serialised as its bare UUID string. */
public record EventId(@JsonValue UUID value) {

    public EventId {
        Objects.requireNonNull(value, "value");
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static EventId of(UUID value) {
        return new EventId(value);
    }

    public static EventId random() {
        return new EventId(UUID.randomUUID());
    }

    /** Axon uses toString() as the aggregate identifier, so it is the bare UUID. */
    @Override
    public String toString() {
        return value.toString();
    }
}
