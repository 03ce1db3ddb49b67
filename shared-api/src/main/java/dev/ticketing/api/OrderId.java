package dev.ticketing.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;
import java.util.UUID;

/** A buyer's order: one reservation across tiers. Serialised as its bare UUID string. */
public record OrderId(@JsonValue UUID value) {

    public OrderId {
        Objects.requireNonNull(value, "value");
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static OrderId of(UUID value) {
        return new OrderId(value);
    }

    public static OrderId random() {
        return new OrderId(UUID.randomUUID());
    }

    /** Axon uses toString() as the aggregate identifier, so it is the bare UUID. */
    @Override
    public String toString() {
        return value.toString();
    }
}
