package dev.ticketing.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticketing.platform.testing.ApiClient;
import dev.ticketing.platform.testing.TestDatabase;
import dev.ticketing.platform.testing.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The standalone app (both sides) on the real PostgreSQL, in a schema of its own, over real
 * HTTP. Test classes with the same settings share one running app; each test uses its own
 * events and buyers.
 */
@SpringBootTest(classes = StandaloneApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"ticketing.demo.enabled=false", "ticketing.security.dev-tokens.enabled=false",
                "ticketing.security.jwt.hmac-secret=" + TestTokens.SECRET})
public abstract class StandaloneOnPostgres {

    protected static final String ORGANIZER = TestTokens.token("olga-organizer", "ORGANIZER");
    protected static final String AUDITOR = TestTokens.token("abe-auditor", "AUDITOR");

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.useFreshSchema(registry);
    }

    @LocalServerPort
    protected int port;
    @Autowired
    protected JdbcTemplate jdbc;
    protected ApiClient api;

    @BeforeEach
    void client() {
        api = ApiClient.onPort(port);
    }

    protected static String buyer() {
        return TestTokens.token("buyer-" + UUID.randomUUID());
    }

    /** An event with the given tiers ({@code name, priceCents, capacity}), returned as the 201 body. */
    protected JsonNode createEvent(Integer maxAttendees, boolean membersOnly, Object... tiers) {
        return createEvent("Gala " + UUID.randomUUID(), maxAttendees, membersOnly, tiers);
    }

    /** The same, with a name (for pages and screenshots people read). */
    protected JsonNode createEvent(String name, Integer maxAttendees, boolean membersOnly, Object... tiers) {
        List<Map<String, Object>> tierList = new ArrayList<>();
        for (int i = 0; i < tiers.length; i += 3) {
            tierList.add(Map.of("name", tiers[i], "priceCents", tiers[i + 1], "capacity", tiers[i + 2]));
        }
        var body = new java.util.HashMap<String, Object>(Map.of("name", name,
                "startsAt", "2027-06-01T18:00:00Z", "currency", "usd", "membersOnly", membersOnly,
                "maxTicketsPerOrder", 10, "tiers", tierList));
        if (maxAttendees != null) {
            body.put("maxAttendees", maxAttendees);
        }
        ApiClient.Response created = api.post("/api/v1/events", ORGANIZER, body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.body();
    }

    protected static String tierId(JsonNode event, int index) {
        return event.path("tiers").get(index).path("tierId").asText();
    }

    protected static Map<String, Object> selections(Object... tierAndQuantity) {
        List<Map<String, Object>> lines = new ArrayList<>();
        for (int i = 0; i < tierAndQuantity.length; i += 2) {
            lines.add(Map.of("tierId", tierAndQuantity[i], "quantity", tierAndQuantity[i + 1]));
        }
        return Map.of("selections", lines);
    }

    protected ApiClient.Response reserve(String token, String eventId, Object... tierAndQuantity) {
        return api.post("/api/v1/events/" + eventId + "/orders", token, selections(tierAndQuantity));
    }

    protected JsonNode availability(String eventId) {
        ApiClient.Response response = api.get("/api/v1/events/" + eventId + "/availability", null);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.body();
    }

    /** Waits until the availability projection shows the given event-wide reserved and sold counts. */
    protected JsonNode awaitAvailability(String eventId, int reserved, int sold) {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            ApiClient.Response now = api.get("/api/v1/events/" + eventId + "/availability", null);
            return now.status() == 200 && now.body().path("reserved").asInt() == reserved
                    && now.body().path("sold").asInt() == sold;
        });
        return availability(eventId);
    }

    /** The buyer's view of the order once it reaches {@code status}. */
    protected JsonNode awaitOrder(String orderId, String token, String status) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() ->
                api.get("/api/v1/orders/" + orderId, token).body().path("status").asText().equals(status));
        return api.get("/api/v1/orders/" + orderId, token).body();
    }

    /**
     * The buyer starts to pay: the order's payment intent and its client secret, as the checkout
     * page asks for them (again after PAYMENT_NOT_READY, while Stripe's rate limit makes it wait).
     */
    protected JsonNode awaitPayment(String orderId, String token) {
        ApiClient.Response[] answer = new ApiClient.Response[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            answer[0] = api.post("/api/v1/orders/" + orderId + "/payment", token, Map.of());
            assertThat(answer[0].status() == 200 || "PAYMENT_NOT_READY".equals(answer[0].code()))
                    .as(answer[0].toString()).isTrue();
            return answer[0].status() == 200;
        });
        return answer[0].body();
    }

    /** A browser's view of Stripe, as the payment config tells it. */
    protected StripeBuyer stripeBuyer() {
        JsonNode config = api.get("/api/v1/payment-config", null).body();
        return new StripeBuyer(config.path("stripeApiBase").asText(), config.path("publishableKey").asText());
    }

    protected long balance(String account) {
        for (JsonNode row : api.get("/api/v1/ledger/accounts", AUDITOR).body()) {
            if (row.path("account").asText().equals(account)) {
                return row.path("balanceCents").asLong();
            }
        }
        return 0;
    }

    /** An order's entries in the ledger. */
    protected List<JsonNode> entriesOf(String orderId) {
        List<JsonNode> entries = new ArrayList<>();
        api.get("/api/v1/ledger/entries?orderId=" + orderId, AUDITOR).body().forEach(entries::add);
        return entries;
    }

    /** The balance an order's own entries give an account (debits positive). */
    protected long balanceOfEntries(String orderId, String account) {
        long balance = 0;
        for (JsonNode entry : entriesOf(orderId)) {
            long debits = 0;
            long credits = 0;
            for (JsonNode line : entry.path("lines")) {
                debits += line.path("debitCents").asLong();
                credits += line.path("creditCents").asLong();
                if (line.path("account").asText().equals(account)) {
                    balance += line.path("debitCents").asLong() - line.path("creditCents").asLong();
                }
            }
            assertThat(debits).as("entry balances").isEqualTo(credits);
        }
        return balance;
    }

    /** The aggregate's stored events, oldest first, as an auditor reads them (type, payload, metadata, ...). */
    protected List<JsonNode> auditedEvents(String aggregateId) {
        ApiClient.Response stored = api.get("/api/v1/audit/events?aggregateId=" + aggregateId + "&limit=1000", AUDITOR);
        assertThat(stored.status()).as(stored.toString()).isEqualTo(200);
        List<JsonNode> events = new ArrayList<>();
        stored.body().forEach(events::add);
        return events;
    }

    /** Those of one order, oldest first. */
    protected List<JsonNode> auditedEventsOf(String aggregateId, String orderId) {
        return auditedEvents(aggregateId).stream()
                .filter(stored -> stored.path("payload").path("orderId").asText().equals(orderId)).toList();
    }

    /** The one stored event of this type among {@code stored}. */
    protected static JsonNode theOne(List<JsonNode> stored, String simpleType) {
        List<JsonNode> ofType = stored.stream().filter(event -> simpleType(event).equals(simpleType)).toList();
        assertThat(ofType).as(simpleType).hasSize(1);
        return ofType.get(0);
    }

    /** A stored event's type without its package: {@code OrderConfirmed}. */
    protected static String simpleType(JsonNode stored) {
        String type = stored.path("type").asText();
        return type.substring(type.lastIndexOf('.') + 1);
    }

    /** Events stored, by anyone. */
    protected long storedEvents() {
        return jdbc.queryForObject("SELECT count(*) FROM domainevententry", Long.class);
    }

    /** Events of this type (its simple name) in the aggregate's stream. */
    protected long storedEventsOf(String aggregateId, String type) {
        return jdbc.queryForObject("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ? "
                + "AND payloadtype LIKE ?", Long.class, aggregateId, "%." + type);
    }
}
