package dev.ticketing.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticketing.command.CommandSideApplication;
import dev.ticketing.platform.testing.ApiClient;
import dev.ticketing.platform.testing.TestDatabase;
import dev.ticketing.platform.testing.TestTokens;
import dev.ticketing.query.QuerySideApplication;
import dev.ticketing.stripestandin.StandinServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The two sides as separate applications that share nothing but the database (and Stripe, here
 * the stand-in): what the command side stores, the query side's projections pick up.
 */
class SplitSidesTest {

    private static ConfigurableApplicationContext stripe;
    private static ConfigurableApplicationContext commandSide;
    private static ConfigurableApplicationContext querySide;
    private static ApiClient commands;
    private static ApiClient queries;

    @BeforeAll
    static void startBothSides() throws IOException {
        TestDatabase.Schema schema = TestDatabase.freshSchema();
        String[] database = {"--spring.datasource.url=" + schema.url(),
                "--spring.datasource.username=" + schema.user(), "--spring.datasource.password=" + schema.password(),
                "--ticketing.security.jwt.hmac-secret=" + TestTokens.SECRET};
        int commandPort = freePort();
        stripe = StandinServer.start("http://localhost:" + commandPort + "/api/v1/stripe/webhook", "whsec_split");
        commandSide = new SpringApplicationBuilder(CommandSideApplication.class).run(concat(database,
                "--server.port=" + commandPort, "--ticketing.stripe.secret-key=sk_test_split",
                "--ticketing.stripe.webhook-secret=whsec_split",
                "--ticketing.stripe.api-base=http://localhost:" + StandinServer.port(stripe) + "/stripe-emulator"));
        querySide = new SpringApplicationBuilder(QuerySideApplication.class).run(concat(database, "--server.port=0"));
        commands = ApiClient.onPort(port(commandSide));
        queries = ApiClient.onPort(port(querySide));
    }

    @AfterAll
    static void stopBothSides() {
        if (querySide != null) {
            querySide.close();
        }
        if (commandSide != null) {
            commandSide.close();
        }
        if (stripe != null) {
            stripe.close();
        }
    }

    @Test
    void querySideSeesWhatCommandSideWrote() {
        String organizer = TestTokens.token("olga", "ORGANIZER");
        ApiClient.Response created = commands.post("/api/v1/events", organizer, Map.of("name", "Split Gala",
                "startsAt", "2027-06-01T18:00:00Z", "currency", "EUR", "maxAttendees", 100,
                "tiers", List.of(Map.of("name", "General", "priceCents", 3000, "capacity", 80))));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String eventId = created.body().path("eventId").asText();
        String tierId = created.body().path("tiers").get(0).path("tierId").asText();

        String buyer = TestTokens.token("gina");
        ApiClient.Response reserved = commands.post("/api/v1/events/" + eventId + "/orders", buyer,
                Map.of("selections", List.of(Map.of("tierId", tierId, "quantity", 3))));
        assertThat(reserved.status()).as(reserved.toString()).isEqualTo(201);
        String orderId = reserved.body().path("orderId").asText();

        // read-your-writes across processes: the query side waits for its projection to catch up
        ApiClient.Response order = queries.get("/api/v1/orders/" + orderId, buyer);
        assertThat(order.status()).as(order.toString()).isEqualTo(200);
        assertThat(order.body().path("status").asText()).isEqualTo("RESERVED");
        assertThat(order.body().path("currency").asText()).isEqualTo("eur");

        await().atMost(Duration.ofSeconds(10)).until(() ->
                queries.get("/api/v1/events/" + eventId + "/availability", null).body().path("reserved").asInt() == 3);
        JsonNode availability = queries.get("/api/v1/events/" + eventId + "/availability", null).body();
        assertThat(availability.path("available").asInt()).isEqualTo(77);
        assertThat(availability.path("tiers").get(0).path("available").asInt()).isEqualTo(77);

        // the buyer starts to pay on the command side: the query side shows the payment intent
        ApiClient.Response payment = commands.post("/api/v1/orders/" + orderId + "/payment", buyer, Map.of());
        assertThat(payment.status()).as(payment.toString()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> queries.get("/api/v1/orders/" + orderId, buyer).body()
                .path("payment").path("paymentIntentId").asText()
                .equals(payment.body().path("paymentIntentId").asText()));

        // and the command side serves no reads, the query side no writes (a path a side does not open
        // to everyone needs a token there, so an anonymous read on the command side is refused first)
        assertThat(commands.get("/api/v1/events/" + eventId + "/availability", buyer).status()).isEqualTo(404);
        assertThat(commands.get("/api/v1/events/" + eventId + "/availability", null).status()).isEqualTo(401);
        assertThat(queries.post("/api/v1/orders/" + orderId + "/cancel", buyer, Map.of()).status()).isEqualTo(404);
    }

    private static String[] concat(String[] first, String... more) {
        return java.util.stream.Stream.concat(Arrays.stream(first), Arrays.stream(more)).toArray(String[]::new);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }
}
