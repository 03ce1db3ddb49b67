package dev.ticketing.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;
import java.util.UUID;

/** One issued ticket. Serialised as its bare UUID string. */
public record TicketId(@JsonValue UUID value) {

    public TicketId {
        Objects.requireNonNull(value, "value");
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static TicketId of(UUID value) {
        return new TicketId(value);
    }

    public static TicketId random() {
        return new TicketId(UUID.randomUUID());
    }

    /** Axon uses toString() as the aggregate identifier, so it is the bare UUID. */
    @Override
    public String toString() {
        return value.toString();
    }
}
