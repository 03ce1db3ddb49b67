package dev.ticketing.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticketing.platform.testing.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's quick start as a newcomer meets it: the jar with no configuration at all, on its
 * embedded database under ./data, with a demo event, dev tokens, and data kept across restarts.
 */
class StandaloneQuickStartIT {

    @Test
    void startsOnItsDefaultsWithADemoEventAndKeepsItsData(@TempDir Path workDir) throws Exception {
        String orderId;
        String token;
        try (StandaloneProcess app = new StandaloneProcess(workDir, Map.of()).start()) {
            ApiClient api = app.api();
            await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/v1/events", null).body().size() == 1);
            JsonNode events = api.get("/api/v1/events", null).body();
            assertThat(events.get(0).path("name").asText()).isEqualTo("Demo Night");
            String eventId = events.get(0).path("eventId").asText();
            assertThat(app.output()).contains("curl").contains(eventId).contains("/event.html?id=" + eventId);
            ApiClient.Response home = api.get("/", null);
            assertThat(home.contentType()).startsWith("text/html");
            assertThat(home.body().asText()).contains("Upcoming events", "/assets/events.js");
            assertThat(api.get("/assets/app.js", null).contentType()).contains("javascript");

            ApiClient.Response issued = api.post("/api/v1/dev/tokens", null, Map.of("sub", "newcomer"));
            assertThat(issued.status()).as(issued.toString()).isEqualTo(201);
            token = issued.body().path("token").asText();
            JsonNode tiers = api.get("/api/v1/events/" + eventId + "/availability", null).body().path("tiers");
            ApiClient.Response reserved = api.post("/api/v1/events/" + eventId + "/orders", token, Map.of("selections",
                    List.of(Map.of("tierId", tiers.get(0).path("tierId").asText(), "quantity", 2),
                            Map.of("tierId", tiers.get(1).path("tierId").asText(), "quantity", 1))));
            assertThat(reserved.status()).as(reserved.toString()).isEqualTo(201);
            orderId = reserved.body().path("orderId").asText();
            assertThat(api.get("/api/v1/orders/" + orderId, token).body().path("status").asText()).isEqualTo("RESERVED");
            assertThat(api.get("/v3/api-docs", null).status()).isEqualTo(200);
            assertThat(api.get("/actuator/prometheus", null).status()).isEqualTo(200);
            app.stop();
        }
        assertThat(Files.isDirectory(workDir.resolve("data"))).isTrue();

        try (StandaloneProcess again = new StandaloneProcess(workDir, Map.of()).start()) {
            ApiClient api = again.api();
            Thread.sleep(1_000); // give a second demo event, if one were made, time to be projected
            assertThat(api.get("/api/v1/events", null).body()).as("the demo event is made once").hasSize(1);
            String newToken = api.post("/api/v1/dev/tokens", null, Map.of("sub", "newcomer")).body().path("token").asText();
            ApiClient.Response order = api.get("/api/v1/orders/" + orderId, newToken);
            assertThat(order.status()).as(order.toString()).isEqualTo(200);
            assertThat(order.body().path("status").asText()).isEqualTo("RESERVED");
        }
    }
}
