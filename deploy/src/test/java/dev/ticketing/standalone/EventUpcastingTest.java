package dev.ticketing.standalone;

import dev.ticketing.platform.testing.ApiClient;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An event stored in an older shape (EventInventoryCreated revision 1, without
 * maxTicketsPerOrder) is read through its upcaster, by the inventory and by the projections.
 */
class EventUpcastingTest extends StandaloneOnPostgres {

    @Test
    void aRevisionOneEventInventoryCreatedIsReadWithTheDefaultPerOrderLimit() {
        String eventId = UUID.randomUUID().toString();
        String tierId = UUID.randomUUID().toString();
        String revisionOne = "{\"eventId\":\"" + eventId + "\",\"name\":\"Old Gala\",\"startsAt\":\"2027-06-01T18:00:00Z\","
                + "\"currency\":\"usd\",\"maxAttendees\":null,\"membersOnly\":false,"
                + "\"tiers\":[{\"tierId\":\"" + tierId + "\",\"name\":\"General\",\"priceCents\":1500,\"capacity\":50}]}";
        jdbc.update("INSERT INTO domainevententry (eventidentifier, aggregateidentifier, sequencenumber, type, timestamp, "
                        + "payloadtype, payloadrevision, payload, metadata) VALUES (?, ?, 0, 'TierInventory', ?, ?, '1', ?, ?)",
                UUID.randomUUID().toString(), eventId, Instant.now().toString(),
                "dev.ticketing.api.inventory.EventInventoryCreated", revisionOne.getBytes(StandardCharsets.UTF_8),
                "{\"userId\":\"olga\"}".getBytes(StandardCharsets.UTF_8));

        // the projection read it ...
        assertThat(awaitAvailability(eventId, 0, 0).path("name").asText()).isEqualTo("Old Gala");
        // ... and the inventory decides with the default limit of 10, not 0
        ApiClient.Response eleven = reserve(buyer(), eventId, tierId, 11);
        assertThat(eleven.code()).isEqualTo("VALIDATION_FAILED");
        assertThat(eleven.body().path("detail").asText()).contains("at most 10");
        assertThat(reserve(buyer(), eventId, tierId, 10).status()).isEqualTo(201);
    }
}
