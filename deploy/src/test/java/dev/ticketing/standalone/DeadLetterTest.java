package dev.ticketing.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticketing.platform.testing.ApiClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A projection failure does not stop the world: the event goes to the dead-letter queue of its
 * sequence (its aggregate), auditors see it, other events carry on, and once the cause is mended
 * a retry applies it.
 */
class DeadLetterTest extends StandaloneOnPostgres {

    @Test
    void aPoisonEventIsDeadLetteredShownToAuditorsAndRetried() {
        JsonNode broken = createEvent(null, false, "General", 2500, 10);
        String brokenId = broken.path("eventId").asText();
        String tier = tierId(broken, 0);
        awaitAvailability(brokenId, 0, 0);
        // the read model loses a row (a bad migration, a slip in SQL): the projection cannot apply what comes next
        Map<String, Object> row = jdbc.queryForMap("SELECT * FROM tier_availability WHERE tier_id = ?::uuid", tier);
        jdbc.update("DELETE FROM tier_availability WHERE tier_id = ?::uuid", tier);

        assertThat(reserve(buyer(), brokenId, tier, 2).status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(15)).until(() -> lettersFor(brokenId) > 0);
        JsonNode letters = api.get("/api/v1/audit/dead-letters", AUDITOR).body();
        JsonNode letter = null;
        for (JsonNode candidate : letters) {
            if (brokenId.equals(candidate.path("aggregateId").asText())) {
                letter = candidate;
            }
        }
        assertThat(letter).isNotNull();
        assertThat(letter.path("processingGroup").asText()).isEqualTo("availability");
        assertThat(letter.path("eventType").asText()).endsWith("TicketsReserved");
        assertThat(letter.path("causeType").asText()).isNotBlank();

        // the rest of the world goes on
        JsonNode healthy = createEvent(null, false, "General", 2500, 10);
        assertThat(reserve(buyer(), healthy.path("eventId").asText(), tierId(healthy, 0), 3).status()).isEqualTo(201);
        awaitAvailability(healthy.path("eventId").asText(), 3, 0);

        assertThat(api.get("/api/v1/audit/dead-letters", buyer()).status()).isEqualTo(403);
        assertThat(api.post("/api/v1/audit/dead-letters/availability/retry", ORGANIZER, Map.of()).status()).isEqualTo(403);
        assertThat(api.post("/api/v1/audit/dead-letters/nonsense/retry", AUDITOR, Map.of()).code())
                .isEqualTo("PROJECTION_NOT_FOUND");

        // mended, then retried: the reservation is applied and the letter is gone
        jdbc.update("INSERT INTO tier_availability (tier_id, event_id, position, name, price_cents, capacity, reserved, sold) "
                        + "VALUES (?::uuid, ?::uuid, ?, ?, ?, ?, 0, 0)", tier, brokenId, row.get("position"), row.get("name"),
                row.get("price_cents"), row.get("capacity"));
        ApiClient.Response retried = api.post("/api/v1/audit/dead-letters/availability/retry", AUDITOR, Map.of());
        assertThat(retried.status()).as(retried.toString()).isEqualTo(200);
        assertThat(retried.body().path("sequencesProcessed").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(lettersFor(brokenId)).isZero();
        JsonNode mended = awaitAvailability(brokenId, 2, 0);
        assertThat(mended.path("tiers").get(0).path("reserved").asInt()).isEqualTo(2);
    }

    private int lettersFor(String aggregateId) {
        int count = 0;
        for (JsonNode letter : api.get("/api/v1/audit/dead-letters", AUDITOR).body()) {
            if (aggregateId.equals(letter.path("aggregateId").asText())) {
                count++;
            }
        }
        return count;
    }
}
