package dev.ticketing.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticketing.platform.testing.ApiClient;
import dev.ticketing.platform.testing.TestTokens;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Auditors read the event store as it is stored, page by page. */
class AuditEventsTest extends StandaloneOnPostgres {

    @Test
    void onlyAuditorsReadTheStoredEvents() {
        assertThat(api.get("/api/v1/audit/events", AUDITOR).status()).isEqualTo(200);
        ApiClient.Response byBuyer = api.get("/api/v1/audit/events", buyer());
        assertThat(byBuyer.status()).isEqualTo(403);
        assertThat(byBuyer.code()).isEqualTo("FORBIDDEN");
        assertThat(api.get("/api/v1/audit/events", ORGANIZER).code()).isEqualTo("FORBIDDEN");
        ApiClient.Response anonymous = api.get("/api/v1/audit/events", null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.code()).isEqualTo("UNAUTHENTICATED");
    }

    @Test
    void pagesOfAnAggregateFollowEachOtherWithoutGapsOrRepeats() {
        String eventId = eventWithSomeHistory("buyer-" + UUID.randomUUID());

        List<JsonNode> paged = new ArrayList<>();
        long after = 0;
        while (true) {
            JsonNode page = events("?aggregateId=" + eventId + "&afterGlobalIndex=" + after + "&limit=3");
            assertThat(page.size()).isLessThanOrEqualTo(3);
            page.forEach(paged::add);
            if (page.size() < 3) {
                break;
            }
            after = page.get(2).path("globalIndex").asLong();
        }

        // created, reserved, its payment intent, cancelled, reserved, its payment intent, tier added, capacity changed
        assertThat(paged).hasSizeGreaterThanOrEqualTo(8);
        for (int i = 0; i < paged.size(); i++) {
            JsonNode event = paged.get(i);
            assertThat(event.path("aggregateId").asText()).isEqualTo(eventId);
            assertThat(event.path("sequence").asLong()).as("sequence of the %dth event", i).isEqualTo(i);
            if (i > 0) {
                assertThat(event.path("globalIndex").asLong()).isGreaterThan(paged.get(i - 1).path("globalIndex").asLong());
            }
        }
        // the pages together are what one read gives (events stored since may follow)
        List<JsonNode> atOnce = new ArrayList<>();
        events("?aggregateId=" + eventId + "&limit=1000").forEach(atOnce::add);
        assertThat(atOnce.subList(0, paged.size())).isEqualTo(paged);
        assertThat(paged.get(0).path("type").asText()).isEqualTo("dev.ticketing.api.inventory.EventInventoryCreated");
    }

    @Test
    void anOrdersPaymentIntentIsOnItsEventsStreamOnceTheBuyerStartsToPay() {
        JsonNode event = createEvent(null, false, "General", 2500, 20);
        String eventId = event.path("eventId").asText();
        String buyer = buyer();
        String orderId = reserve(buyer, eventId, tierId(event, 0), 1).body().path("orderId").asText();
        // created, reserved, the inventory's expiry scheduled: nothing of Stripe's
        assertThat(types(events("?aggregateId=" + eventId))).containsExactly("EventInventoryCreated", "TicketsReserved",
                "HoldsExpiryScheduled");
        String intent = awaitPayment(orderId, buyer).path("paymentIntentId").asText();

        JsonNode stream = events("?aggregateId=" + eventId);
        assertThat(types(stream)).containsExactly("EventInventoryCreated", "TicketsReserved", "HoldsExpiryScheduled",
                "PaymentIntentCreated");
        JsonNode paying = stream.get(3);
        assertThat(paying.path("sequence").asLong()).isEqualTo(3);
        assertThat(paying.path("payload").path("orderId").asText()).isEqualTo(orderId);
        assertThat(paying.path("payload").path("paymentIntentId").asText()).isEqualTo(intent);
        assertThat(paying.path("metadata").path("userId").asText())
                .isEqualTo(stream.get(1).path("metadata").path("userId").asText());
        assertThat(events("?aggregateId=" + orderId)).isEmpty();
    }

    @Test
    void payloadAndMetadataAreTheStoredJson() {
        String buyerId = "buyer-" + UUID.randomUUID();
        String eventId = eventWithSomeHistory(buyerId);

        JsonNode reserved = null;
        for (JsonNode event : events("?aggregateId=" + eventId)) {
            if (event.path("type").asText().equals("dev.ticketing.api.inventory.TicketsReserved")
                    && event.path("metadata").path("userId").asText().equals(buyerId)) {
                reserved = event;
                break;
            }
        }
        assertThat(reserved).as("the buyer's TicketsReserved").isNotNull();
        assertThat(reserved.path("revision").asText()).isEqualTo("1");
        assertThat(reserved.path("globalIndex").asLong()).isPositive();
        assertThat(reserved.path("eventIdentifier").asText()).isNotBlank();
        assertThat(Instant.parse(reserved.path("timestamp").asText())).isBefore(Instant.now());
        JsonNode payload = reserved.path("payload");
        assertThat(payload.isObject()).isTrue();
        assertThat(payload.path("eventId").asText()).isEqualTo(eventId);
        assertThat(payload.path("orderId").asText()).isNotBlank();
        assertThat(payload.path("userId").asText()).isEqualTo(buyerId);
        assertThat(payload.path("lines").isArray()).isTrue();
        assertThat(payload.path("lines").get(0).path("quantity").asInt()).isEqualTo(2);
        assertThat(payload.path("totalCents").asLong()).isEqualTo(5000);
        JsonNode metadata = reserved.path("metadata");
        assertThat(metadata.isObject()).isTrue();
        assertThat(metadata.path("userId").asText()).isEqualTo(buyerId);
        assertThat(metadata.path("correlationId").asText()).isNotBlank();
        assertThat(metadata.path("causationId").asText()).isNotBlank();
    }

    @Test
    void limitOutside1To1000AndANegativeStartAreRefused() {
        for (String query : List.of("?limit=0", "?limit=5000", "?limit=-1", "?afterGlobalIndex=-1", "?limit=many")) {
            ApiClient.Response refused = api.get("/api/v1/audit/events" + query, AUDITOR);
            assertThat(refused.status()).as(query + " " + refused).isEqualTo(400);
            assertThat(refused.code()).isEqualTo("VALIDATION_FAILED");
            assertThat(refused.contentType()).startsWith("application/problem+json");
        }
        ApiClient.Response tooMany = api.get("/api/v1/audit/events?limit=5000", AUDITOR);
        assertThat(tooMany.body().path("errors").get(0).path("field").asText()).isEqualTo("limit");
        assertThat(events("?limit=1000").size()).isLessThanOrEqualTo(1000);
        assertThat(events("?limit=1").size()).isEqualTo(1);
        assertThat(events("?aggregateId=&afterGlobalIndex=&limit=1").size()).as("empty parameters: the defaults").isEqualTo(1);
    }

    /**
     * An event the buyer reserves 2 tickets of (started to pay, paid by no one), with a cancelled
     * order of someone else's, a tier added and a capacity changed: eight events on its aggregate.
     */
    private String eventWithSomeHistory(String buyerId) {
        JsonNode event = createEvent(null, false, "General", 2500, 20);
        String eventId = event.path("eventId").asText();
        String other = buyer();
        String cancelled = reserve(other, eventId, tierId(event, 0), 1).body().path("orderId").asText();
        awaitPayment(cancelled, other);
        assertThat(api.post("/api/v1/orders/" + cancelled + "/cancel", other, Map.of()).status()).isEqualTo(200);
        String buyer = TestTokens.token(buyerId);
        String held = reserve(buyer, eventId, tierId(event, 0), 2).body().path("orderId").asText();
        awaitPayment(held, buyer);
        assertThat(api.post("/api/v1/events/" + eventId + "/tiers", ORGANIZER,
                Map.of("name", "VIP", "priceCents", 9000, "capacity", 5)).status()).isEqualTo(201);
        assertThat(api.patch("/api/v1/events/" + eventId + "/tiers/" + tierId(event, 0), ORGANIZER,
                Map.of("capacity", 30)).status()).isEqualTo(200);
        return eventId;
    }

    private JsonNode events(String query) {
        ApiClient.Response response = api.get("/api/v1/audit/events" + query, AUDITOR);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.body().isArray()).isTrue();
        return response.body();
    }

    /** The events' types, by simple name. */
    private static List<String> types(JsonNode events) {
        List<String> types = new ArrayList<>();
        events.forEach(event -> types.add(simpleType(event)));
        return types;
    }
}
