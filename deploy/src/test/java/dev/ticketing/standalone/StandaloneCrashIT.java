package dev.ticketing.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticketing.platform.testing.ApiClient;
import dev.ticketing.platform.testing.TestDatabase;
import dev.ticketing.platform.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A hold survives the process being killed with SIGKILL, and still expires on time afterwards. */
class StandaloneCrashIT {

    private static final Duration HOLD = Duration.ofSeconds(45);

    @Test
    void holdSurvivesSigkillAndStillExpiresOnTime(@TempDir Path workDir) throws Exception {
        TestDatabase.Schema schema = TestDatabase.freshSchema();
        Map<String, String> env = Map.of(
                "SPRING_DATASOURCE_URL", schema.url(), "SPRING_DATASOURCE_USERNAME", schema.user(),
                "SPRING_DATASOURCE_PASSWORD", schema.password(),
                "TICKETING_RESERVATION_TIMEOUT", HOLD.toString(),
                "TICKETING_SECURITY_JWT_HMAC_SECRET", TestTokens.SECRET,
                "TICKETING_DEMO_ENABLED", "false");
        String organizer = TestTokens.token("olga", "ORGANIZER");
        String buyer = TestTokens.token("hank");

        try (StandaloneProcess app = new StandaloneProcess(workDir, env).start()) {
            ApiClient api = app.api();
            JsonNode event = api.post("/api/v1/events", organizer, Map.of("name", "Crash Gala",
                    "startsAt", "2027-06-01T18:00:00Z", "currency", "usd", "maxAttendees", 3,
                    "tiers", List.of(Map.of("name", "General", "priceCents", 2500, "capacity", 10)))).body();
            String eventId = event.path("eventId").asText();
            String tierId = event.path("tiers").get(0).path("tierId").asText();
            ApiClient.Response reserved = api.post("/api/v1/events/" + eventId + "/orders", buyer,
                    Map.of("selections", List.of(Map.of("tierId", tierId, "quantity", 3))));
            assertThat(reserved.status()).as(reserved.toString()).isEqualTo(201);
            String orderId = reserved.body().path("orderId").asText();
            Instant expiresAt = Instant.parse(reserved.body().path("expiresAt").asText());

            app.kill();
            app.start();

            // the projections resume once the new process takes over the dead one's claims (10 s)
            await().atMost(Duration.ofSeconds(25)).pollInterval(Duration.ofMillis(200)).until(() ->
                    api.get("/api/v1/orders/" + orderId, buyer).body().path("status").asText().equals("RESERVED"));
            assertThat(Instant.now()).as("checked before the hold's expiry, or the test proves nothing")
                    .isBefore(expiresAt.minusSeconds(3));
            ApiClient.Response full = api.post("/api/v1/events/" + eventId + "/orders", TestTokens.token("ivy"),
                    Map.of("selections", List.of(Map.of("tierId", tierId, "quantity", 1))));
            assertThat(full.code()).as("the hold still counts after the restart").isEqualTo("EVENT_AT_CAPACITY");

            await().atMost(HOLD.plusSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() ->
                    api.get("/api/v1/orders/" + orderId, buyer).body().path("status").asText().equals("EXPIRED"));
            Instant expiredSeen = Instant.now();
            assertThat(expiredSeen).isAfterOrEqualTo(expiresAt);
            assertThat(Duration.between(expiresAt, expiredSeen)).as("expired on time").isLessThan(Duration.ofSeconds(5));
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    api.get("/api/v1/events/" + eventId + "/availability", null).body().path("available").asInt() == 3);
        }
    }
}
