package dev.ticketing.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticketing.platform.testing.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's quick start as a newcomer meets it: the jar with no configuration at all, on its
 * embedded database under ./data, with a demo event, dev tokens, and data kept across restarts.
 */
class StandaloneQuickStartIT {

    /** What DemoEvent prints on every start, once it has made the demo event if there was none. */
    private static final String WELCOME = "Ticketing is running at";

    @Test
    void startsOnItsDefaultsWithADemoEventAndKeepsItsData(@TempDir Path workDir) throws Exception {
        String orderId;
        String token;
        String eventId;
        try (StandaloneProcess app = new StandaloneProcess(workDir, Map.of()).start()) {
            ApiClient api = app.api();
            await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/v1/events", null).body().size() == 1);
            JsonNode events = api.get("/api/v1/events", null).body();
            assertThat(events.get(0).path("name").asText()).isEqualTo("Demo Night");
            eventId = events.get(0).path("eventId").asText();
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
            // the second start has done its demo step once it printed its welcome (the log holds both starts)
            await().atMost(Duration.ofSeconds(30)).until(() -> again.output().split(WELCOME, -1).length - 1 == 2);
            String auditor = api.post("/api/v1/dev/tokens", null, Map.of("sub", "abe", "roles", List.of("AUDITOR")))
                    .body().path("token").asText();
            ApiClient.Response stored = api.get("/api/v1/audit/events?limit=1000", auditor);
            assertThat(stored.status()).as(stored.toString()).isEqualTo(200);
            List<String> created = new ArrayList<>();
            stored.body().forEach(event -> {
                if (event.path("type").asText().endsWith(".EventInventoryCreated")) {
                    created.add(event.path("aggregateId").asText());
                }
            });
            assertThat(created).as("the demo event is made once").containsExactly(eventId);
            assertThat(api.get("/api/v1/events", null).body()).hasSize(1);
            String newToken = api.post("/api/v1/dev/tokens", null, Map.of("sub", "newcomer")).body().path("token").asText();
            ApiClient.Response order = api.get("/api/v1/orders/" + orderId, newToken);
            assertThat(order.status()).as(order.toString()).isEqualTo(200);
            assertThat(order.body().path("status").asText()).isEqualTo("RESERVED");
        }
    }
}
