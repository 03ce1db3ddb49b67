package dev.ticketing.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;
import java.util.UUID;

/** A ticket tier of an event. Serialised as its bare UUID string. */
public record TierId(@JsonValue UUID value) {

    public TierId {
        Objects.requireNonNull(value, "value");
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static TierId of(UUID value) {
        return new TierId(value);
    }

    public static TierId random() {
        return new TierId(UUID.randomUUID());
    }

    /** Axon uses toString() as the aggregate identifier, so it is the bare UUID. */
    @Override
    public String toString() {
        return value.toString();
    }
}
