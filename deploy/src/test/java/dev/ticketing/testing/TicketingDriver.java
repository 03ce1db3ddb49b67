package dev.ticketing.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticketing.platform.testing.ApiClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the HTTP-level tests do through the API, in one place: put an event on sale, reserve, start
 * to pay, wait for the read models. The same for the standalone, a cluster's ingress or one node, and
 * the row-locking baseline (which answers the same endpoints).
 */
public final class TicketingDriver {

    /** A tier to put on sale. */
    public record Tier(String name, long priceCents, int capacity) {
    }

    /** An event on sale: its ids, and the organiser's 201 answer. */
    public record OnSale(String eventId, List<String> tierIds, JsonNode created) {
        public String tierId(int index) {
            return tierIds.get(index);
        }
    }

    private static final String STARTS_AT = "2027-06-01T18:00:00Z";

    private final ApiClient api;
    private final String organizer;

    private TicketingDriver(ApiClient api, String organizer) {
        this.api = api;
        this.organizer = organizer;
    }

    /** Drives the API at {@code api}; events are put on sale with the {@code organizer}'s token. */
    public static TicketingDriver on(ApiClient api, String organizer) {
        return new TicketingDriver(api, organizer);
    }

    public ApiClient api() {
        return api;
    }

    /** {@code count} tiers "Tier 1", "Tier 2", … priced 25.00, 50.00, … each of {@code capacity}. */
    public static List<Tier> tiers(int count, int capacity) {
        List<Tier> tiers = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            tiers.add(new Tier("Tier " + i, 2500L * i, capacity));
        }
        return tiers;
    }

    /** Puts an event on sale (a 201 or the test fails); {@code maxAttendees} null: no event-wide limit. */
    public OnSale putOnSale(String name, String currency, Integer maxAttendees, boolean membersOnly, List<Tier> tiers) {
        List<Map<String, Object>> tierSpecs = tiers.stream().map(tier -> Map.<String, Object>of("name", tier.name(),
                "priceCents", tier.priceCents(), "capacity", tier.capacity())).toList();
        Map<String, Object> body = new HashMap<>(Map.of("name", name, "startsAt", STARTS_AT, "currency", currency,
                "membersOnly", membersOnly, "maxTicketsPerOrder", 10, "tiers", tierSpecs));
        if (maxAttendees != null) {
            body.put("maxAttendees", maxAttendees);
        }
        ApiClient.Response created = api.post("/api/v1/events", organizer, body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        List<String> tierIds = new ArrayList<>();
        created.body().path("tiers").forEach(tier -> tierIds.add(tier.path("tierId").asText()));
        return new OnSale(created.body().path("eventId").asText(), tierIds, created.body());
    }

    /** Waits until the query side knows the event (its availability answers), as a buyer's page would. */
    public OnSale awaitOnSale(OnSale event) {
        await().atMost(Duration.ofSeconds(20)).until(() ->
                api.get("/api/v1/events/" + event.eventId() + "/availability", null).status() == 200);
        return event;
    }

    /** {@code {"selections": [{tierId, quantity}, …]}} from tier id, quantity, tier id, quantity, … */
    public static Map<String, Object> selections(Object... tierAndQuantity) {
        List<Map<String, Object>> lines = new ArrayList<>();
        for (int i = 0; i < tierAndQuantity.length; i += 2) {
            lines.add(Map.of("tierId", tierAndQuantity[i], "quantity", tierAndQuantity[i + 1]));
        }
        return Map.of("selections", lines);
    }

    /** The answer as it is: the tests check refusals too. */
    public ApiClient.Response reserve(String buyer, String eventId, Map<String, Object> selections) {
        return api.post("/api/v1/events/" + eventId + "/orders", buyer, selections);
    }

    /** The same with an Idempotency-Key, as a client that may send it again does. */
    public ApiClient.Response reserve(String buyer, String eventId, Map<String, Object> selections, String idempotencyKey) {
        return api.post("/api/v1/events/" + eventId + "/orders", buyer, selections, Map.of("Idempotency-Key", idempotencyKey));
    }

    /**
     * The buyer starts to pay: the order's payment intent and its client secret, as the checkout page
     * asks for them (again after PAYMENT_NOT_READY, while Stripe's rate limit makes it wait); any
     * other answer but 200 fails.
     */
    public JsonNode startPayment(String orderId, String buyer) {
        ApiClient.Response[] answer = new ApiClient.Response[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            answer[0] = api.post("/api/v1/orders/" + orderId + "/payment", buyer, Map.of());
            assertThat(answer[0].status() == 200 || "PAYMENT_NOT_READY".equals(answer[0].code()))
                    .as(answer[0].toString()).isTrue();
            return answer[0].status() == 200;
        });
        return answer[0].body();
    }

    /** The event's availability (200 or the test fails). */
    public JsonNode availability(String eventId) {
        ApiClient.Response response = api.get("/api/v1/events/" + eventId + "/availability", null);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.body();
    }

    /** Waits until the availability read model shows what {@code until} asks for, and returns it. */
    public JsonNode awaitAvailability(String eventId, Duration atMost, Predicate<JsonNode> until) {
        JsonNode[] seen = new JsonNode[1];
        await().atMost(atMost).pollInterval(Duration.ofMillis(100)).until(() -> {
            ApiClient.Response now = api.get("/api/v1/events/" + eventId + "/availability", null);
            seen[0] = now.body();
            return now.status() == 200 && until.test(now.body());
        });
        return seen[0];
    }

    /** The buyer's view of the order once it reaches {@code status}. */
    public JsonNode awaitOrder(String orderId, String buyer, String status) {
        return awaitOrder(orderId, buyer, status, Duration.ofSeconds(20));
    }

    /** The same, waiting up to {@code atMost} (a restart, a hold's end). */
    public JsonNode awaitOrder(String orderId, String buyer, String status, Duration atMost) {
        JsonNode[] seen = new JsonNode[1];
        await().atMost(atMost).pollInterval(Duration.ofMillis(100)).until(() -> {
            seen[0] = api.get("/api/v1/orders/" + orderId, buyer).body();
            return seen[0].path("status").asText().equals(status);
        });
        return seen[0];
    }
}
