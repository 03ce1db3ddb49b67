package dev.ticketing.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticketing.platform.testing.ApiClient;
import dev.ticketing.platform.testing.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Every bad input gets problem+json with its code, and nothing is stored. */
class BadInputTest extends StandaloneOnPostgres {

    private JsonNode event;
    private String eventId;
    private String general;
    private String ordersPath;
    private long eventsBefore;
    private long ordersBefore;

    @BeforeEach
    void event() {
        event = createEvent(null, false, "General", 2500, 50, "VIP", 9000, 5);
        eventId = event.path("eventId").asText();
        general = tierId(event, 0);
        ordersPath = "/api/v1/events/" + eventId + "/orders";
        eventsBefore = storedEvents();
        ordersBefore = jdbc.queryForObject("SELECT count(*) FROM order_directory", Long.class);
    }

    private void assertRejected(ApiClient.Response response, int status, String code) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.contentType()).as(response.toString()).startsWith("application/problem+json");
        assertThat(response.code()).as(response.toString()).isEqualTo(code);
        assertThat(response.body().path("status").asInt()).isEqualTo(status);
        assertThat(response.body().path("title").asText()).isNotBlank();
        assertThat(response.body().path("type").asText()).isNotBlank();
        assertThat(storedEvents()).as("nothing stored").isEqualTo(eventsBefore);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM order_directory", Long.class)).isEqualTo(ordersBefore);
    }

    private void assertInvalid(ApiClient.Response response, String field) {
        assertRejected(response, 400, "VALIDATION_FAILED");
        assertThat(response.body().path("errors").toString()).as(response.toString()).contains(field);
    }

    @Test
    void malformedJson() {
        assertInvalid(api.postRaw(ordersPath, buyer(), "application/json", "{\"selections\": ["), "body");
    }

    @Test
    void missingBody() {
        assertInvalid(api.postRaw(ordersPath, buyer(), "application/json", ""), "body");
    }

    @Test
    void unknownField() {
        assertInvalid(api.post(ordersPath, buyer(), Map.of("selections", List.of(Map.of("tierId", general, "quantity", 1)),
                "coupon", "FREE")), "coupon");
    }

    @Test
    void wrongType() {
        assertInvalid(api.post(ordersPath, buyer(), "{\"selections\":[{\"tierId\":\"" + general + "\",\"quantity\":\"two\"}]}"),
                "selections[0].quantity");
    }

    @Test
    void hugeNumber() {
        assertInvalid(api.post(ordersPath, buyer(), "{\"selections\":[{\"tierId\":\"" + general
                + "\",\"quantity\":99999999999999999999}]}"), "selections[0].quantity");
    }

    @Test
    void fractionalQuantity() {
        assertInvalid(api.post(ordersPath, buyer(), "{\"selections\":[{\"tierId\":\"" + general + "\",\"quantity\":1.5}]}"),
                "selections[0].quantity");
    }

    @Test
    void tierIdThatIsNotAUuid() {
        assertInvalid(api.post(ordersPath, buyer(), selections("not-a-uuid", 1)), "selections[0].tierId");
    }

    @Test
    void eventIdThatIsNotAUuid() {
        assertInvalid(api.post("/api/v1/events/42/orders", buyer(), selections(general, 1)), "eventId");
        assertInvalid(api.get("/api/v1/orders/42", buyer()), "orderId");
    }

    @Test
    void startingToPayAnOrderThatIsNotThere() {
        assertInvalid(api.post("/api/v1/orders/42/payment", buyer(), Map.of()), "orderId");
        assertRejected(api.post("/api/v1/orders/" + UUID.randomUUID() + "/payment", buyer(), Map.of()), 404,
                "ORDER_NOT_FOUND");
    }

    @Test
    void startingToPaySomeoneElsesOrder() {
        String orderId = reserve(buyer(), eventId, general, 1).body().path("orderId").asText();
        eventsBefore = storedEvents();
        ordersBefore = jdbc.queryForObject("SELECT count(*) FROM order_directory", Long.class);
        assertRejected(api.post("/api/v1/orders/" + orderId + "/payment", buyer(), Map.of()), 403, "FORBIDDEN");
    }

    @Test
    void emptySelections() {
        assertInvalid(api.post(ordersPath, buyer(), Map.of("selections", List.of())), "selections");
        assertInvalid(api.post(ordersPath, buyer(), Map.of()), "selections");
    }

    @Test
    void quantityBelowOne() {
        assertInvalid(api.post(ordersPath, buyer(), selections(general, 0)), "quantity");
        assertInvalid(api.post(ordersPath, buyer(), selections(general, -3)), "quantity");
    }

    @Test
    void moreThanMaxTicketsPerOrder() {
        assertInvalid(reserve(buyer(), eventId, general, 11), "selections");
        assertInvalid(reserve(buyer(), eventId, general, 8, tierId(eventById(), 1), 3), "selections");
    }

    @Test
    void duplicateTierInOneOrder() {
        assertInvalid(reserve(buyer(), eventId, general, 1, general, 2), "tierId");
    }

    @Test
    void unknownTierAndEvent() {
        assertRejected(reserve(buyer(), eventId, UUID.randomUUID().toString(), 1), 404, "TIER_NOT_FOUND");
        assertRejected(reserve(buyer(), UUID.randomUUID().toString(), general, 1), 404, "EVENT_NOT_FOUND");
        assertRejected(api.get("/api/v1/events/" + UUID.randomUUID() + "/availability", null), 404, "EVENT_NOT_FOUND");
        assertRejected(api.get("/api/v1/orders/" + UUID.randomUUID(), buyer()), 404, "ORDER_NOT_FOUND");
        assertRejected(api.post("/api/v1/orders/" + UUID.randomUUID() + "/cancel", buyer(), Map.of()), 404, "ORDER_NOT_FOUND");
        assertRejected(api.patch("/api/v1/events/" + eventId + "/tiers/" + UUID.randomUUID(), ORGANIZER,
                Map.of("capacity", 5)), 404, "TIER_NOT_FOUND");
        assertRejected(api.patch("/api/v1/events/" + UUID.randomUUID() + "/tiers/" + general, ORGANIZER,
                Map.of("capacity", 5)), 404, "EVENT_NOT_FOUND");
        assertRejected(api.post("/api/v1/events/" + UUID.randomUUID() + "/tiers", ORGANIZER,
                Map.of("name", "X", "priceCents", 1, "capacity", 1)), 404, "EVENT_NOT_FOUND");
    }

    @Test
    void tierSoldOutCarriesWhatIsLeft() {
        ApiClient.Response response = reserve(buyer(), eventId, tierId(eventById(), 1), 6);
        assertRejected(response, 409, "TIER_SOLD_OUT");
        assertThat(response.body().path("available").asInt()).isEqualTo(5);
        assertThat(response.body().path("tierId").asText()).isEqualTo(tierId(eventById(), 1));
    }

    @Test
    void membersOnlyEventRefusesNonMembers() {
        JsonNode members = createEvent(null, true, "Members", 1000, 10);
        String membersEvent = members.path("eventId").asText();
        eventsBefore = storedEvents();
        ApiClient.Response refused = reserve(buyer(), membersEvent, tierId(members, 0), 1);
        assertRejected(refused, 403, "MEMBERSHIP_REQUIRED");
        ApiClient.Response member = reserve(TestTokens.token("member-" + UUID.randomUUID(), "MEMBER"), membersEvent,
                tierId(members, 0), 1);
        assertThat(member.status()).as(member.toString()).isEqualTo(201);
    }

    @Test
    void oneUnpaidOrderPerBuyerAndEvent() {
        String frank = buyer();
        ApiClient.Response first = reserve(frank, eventId, general, 1);
        assertThat(first.status()).isEqualTo(201);
        eventsBefore = storedEvents();
        ordersBefore = jdbc.queryForObject("SELECT count(*) FROM order_directory", Long.class);
        ApiClient.Response second = reserve(frank, eventId, general, 1);
        assertRejected(second, 409, "PENDING_ORDER_EXISTS");
        assertThat(second.body().path("orderId").asText()).isEqualTo(first.body().path("orderId").asText());
    }

    @Test
    void wrongContentType() {
        assertRejected(api.postRaw(ordersPath, buyer(), "text/plain", "hello"), 415, "UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void missingBadExpiredOrForeignTokens() {
        assertRejected(api.post(ordersPath, null, selections(general, 1)), 401, "UNAUTHENTICATED");
        assertRejected(api.post(ordersPath, "not.a.jwt", selections(general, 1)), 401, "UNAUTHENTICATED");
        assertRejected(api.post(ordersPath, TestTokens.sign(TestTokens.SECRET, "late", Instant.now().minusSeconds(600)),
                selections(general, 1)), 401, "UNAUTHENTICATED");
        assertRejected(api.post(ordersPath, TestTokens.sign("another-secret-of-at-least-thirty-two-bytes",
                "mallory", Instant.now().plusSeconds(600)), selections(general, 1)), 401, "UNAUTHENTICATED");
    }

    @Test
    void idempotencyKeyTooLong() {
        assertInvalid(api.post(ordersPath, buyer(), selections(general, 1), Map.of("Idempotency-Key", "k".repeat(300))),
                "Idempotency-Key");
    }

    @Test
    void badEventDefinitions() {
        Map<String, Object> tier = Map.of("name", "General", "priceCents", 100, "capacity", 10);
        assertInvalid(api.post("/api/v1/events", ORGANIZER, event(Map.of("maxAttendees", 0), tier)), "maxAttendees");
        assertInvalid(api.post("/api/v1/events", ORGANIZER, event(Map.of("currency", "dollars"), tier)), "currency");
        assertInvalid(api.post("/api/v1/events", ORGANIZER, event(Map.of("startsAt", "next friday"), tier)), "startsAt");
        assertInvalid(api.post("/api/v1/events", ORGANIZER, event(Map.of("maxTicketsPerOrder", 0), tier)), "maxTicketsPerOrder");
        assertInvalid(api.post("/api/v1/events", ORGANIZER, event(Map.of())), "tiers");
        assertInvalid(api.post("/api/v1/events", ORGANIZER, event(Map.of(),
                Map.of("name", "General", "priceCents", -1, "capacity", 10))), "priceCents");
        assertInvalid(api.post("/api/v1/events", ORGANIZER, event(Map.of(),
                Map.of("name", "General", "priceCents", 1, "capacity", 1_000_000_000_000L))), "capacity");
        assertInvalid(api.post("/api/v1/events", ORGANIZER, event(Map.of(), tier,
                Map.of("name", "general", "priceCents", 1, "capacity", 1))), "tiers.name");
        assertInvalid(api.post("/api/v1/events", ORGANIZER, event(Map.of("venue", "Hall"), tier)), "venue");
        assertInvalid(api.patch("/api/v1/events/" + eventId + "/tiers/" + general, ORGANIZER, Map.of("capacity", -1)),
                "capacity");
        assertInvalid(api.post("/api/v1/events/" + eventId + "/tiers", ORGANIZER,
                Map.of("name", "GENERAL", "priceCents", 1, "capacity", 1)), "tiers.name");
    }

    @Test
    void devTokensAreOffUnlessEnabled() {
        assertRejected(api.post("/api/v1/dev/tokens", null, Map.of("sub", "eve")), 404, "NOT_FOUND");
    }

    private JsonNode eventById() {
        return event;
    }

    @SafeVarargs
    private static Map<String, Object> event(Map<String, Object> overrides, Map<String, Object>... tiers) {
        var body = new java.util.HashMap<String, Object>(Map.of("name", "Bad " + UUID.randomUUID(),
                "startsAt", "2027-06-01T18:00:00Z", "currency", "usd", "tiers", List.of(tiers)));
        body.putAll(overrides);
        return body;
    }
}
