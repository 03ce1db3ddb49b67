package dev.ticketing.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticketing.platform.testing.ApiClient;
import dev.ticketing.platform.testing.TestDatabase;
import dev.ticketing.platform.testing.TestTokens;
import dev.ticketing.testing.TicketingDriver;
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
        List<TicketingDriver.Tier> tierList = new ArrayList<>();
        for (int i = 0; i < tiers.length; i += 3) {
            tierList.add(new TicketingDriver.Tier((String) tiers[i], ((Number) tiers[i + 1]).longValue(),
                    ((Number) tiers[i + 2]).intValue()));
        }
        return driver().putOnSale(name, "usd", maxAttendees, membersOnly, tierList).created();
    }

    protected static String tierId(JsonNode event, int index) {
        return event.path("tiers").get(index).path("tierId").asText();
    }

    protected static Map<String, Object> selections(Object... tierAndQuantity) {
        return TicketingDriver.selections(tierAndQuantity);
    }

    protected ApiClient.Response reserve(String token, String eventId, Object... tierAndQuantity) {
        return driver().reserve(token, eventId, selections(tierAndQuantity));
    }

    protected JsonNode availability(String eventId) {
        return driver().availability(eventId);
    }

    /** Waits until the availability projection shows the given event-wide reserved and sold counts. */
    protected JsonNode awaitAvailability(String eventId, int reserved, int sold) {
        return driver().awaitAvailability(eventId, Duration.ofSeconds(10),
                now -> now.path("reserved").asInt() == reserved && now.path("sold").asInt() == sold);
    }

    /** The buyer's view of the order once it reaches {@code status}. */
    protected JsonNode awaitOrder(String orderId, String token, String status) {
        return driver().awaitOrder(orderId, token, status);
    }

    /** The buyer starts to pay: the order's payment intent and its client secret. */
    protected JsonNode awaitPayment(String orderId, String token) {
        return driver().startPayment(orderId, token);
    }

    /** The API as the tests drive it; events are put on sale by the organiser. */
    protected TicketingDriver driver() {
        return TicketingDriver.on(api, ORGANIZER);
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
