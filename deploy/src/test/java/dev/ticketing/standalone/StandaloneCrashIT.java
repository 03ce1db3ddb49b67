package dev.ticketing.standalone;

import dev.ticketing.platform.testing.ApiClient;
import dev.ticketing.platform.testing.TestDatabase;
import dev.ticketing.platform.testing.TestTokens;
import dev.ticketing.testing.TicketingDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

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
            TicketingDriver driver = TicketingDriver.on(app.api(), organizer);
            TicketingDriver.OnSale event = driver.putOnSale("Crash Gala", "usd", 3, false,
                    List.of(new TicketingDriver.Tier("General", 2500, 10)));
            String eventId = event.eventId();
            String tierId = event.tierId(0);
            ApiClient.Response reserved = driver.reserve(buyer, eventId, TicketingDriver.selections(tierId, 3));
            assertThat(reserved.status()).as(reserved.toString()).isEqualTo(201);
            String orderId = reserved.body().path("orderId").asText();
            Instant expiresAt = Instant.parse(reserved.body().path("expiresAt").asText());

            app.kill();
            app.start();

            // the projections resume once the new process takes over the dead one's claims (10 s)
            driver.awaitOrder(orderId, buyer, "RESERVED", Duration.ofSeconds(25));
            assertThat(Instant.now()).as("checked before the hold's expiry, or the test proves nothing")
                    .isBefore(expiresAt.minusSeconds(3));
            ApiClient.Response full = driver.reserve(TestTokens.token("ivy"), eventId, TicketingDriver.selections(tierId, 1));
            assertThat(full.code()).as("the hold still counts after the restart").isEqualTo("EVENT_AT_CAPACITY");

            driver.awaitOrder(orderId, buyer, "EXPIRED", HOLD.plusSeconds(15));
            Instant expiredSeen = Instant.now();
            assertThat(expiredSeen).isAfterOrEqualTo(expiresAt);
            assertThat(Duration.between(expiresAt, expiredSeen)).as("expired on time").isLessThan(Duration.ofSeconds(5));
            driver.awaitAvailability(eventId, Duration.ofSeconds(10), now -> now.path("available").asInt() == 3);
        }
    }
}
