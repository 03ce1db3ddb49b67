package dev.ticketing.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticketing.platform.testing.ApiClient;
import dev.ticketing.platform.testing.TestTokens;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's walk-through over HTTP: create event, reserve, read order, availability, cancel. */
class ReservationWalkthroughTest extends StandaloneOnPostgres {

    @Test
    void organiserCreatesEventBuyerReservesReadsAndCancels() {
        JsonNode event = createEvent(500, false, "General", 2500, 400, "VIP", 9000, 150);
        String eventId = event.path("eventId").asText();
        String general = tierId(event, 0);
        String vip = tierId(event, 1);
        assertThat(event.path("tiers")).hasSize(2);

        String alice = TestTokens.token("alice-" + eventId);
        ApiClient.Response reserved = reserve(alice, eventId, general, 2, vip, 1);
        assertThat(reserved.status()).as(reserved.toString()).isEqualTo(201);
        String orderId = reserved.body().path("orderId").asText();
        assertThat(reserved.header("Location")).isEqualTo("/api/v1/orders/" + orderId);
        assertThat(reserved.body().path("status").asText()).isEqualTo("RESERVED");
        assertThat(reserved.body().path("totalCents").asLong()).isEqualTo(2 * 2500 + 9000);
        assertThat(reserved.body().path("currency").asText()).isEqualTo("usd");
        assertThat(reserved.body().path("lines")).hasSize(2);
        assertThat(reserved.body().path("lines").get(0).path("unitPriceCents").asLong()).isEqualTo(2500);
        assertThat(reserved.body().path("expiresAt").asText()).isNotBlank();

        // read-your-writes: the order is there right after the 201, with no waiting in the test
        ApiClient.Response order = api.get("/api/v1/orders/" + orderId, alice);
        assertThat(order.status()).as(order.toString()).isEqualTo(200);
        assertThat(order.body().path("status").asText()).isEqualTo("RESERVED");
        assertThat(order.body().path("userId").asText()).isEqualTo("alice-" + eventId);
        assertThat(order.body().path("expiresAt").asText()).isEqualTo(reserved.body().path("expiresAt").asText());
        assertThat(order.body().path("totalCents").asLong()).isEqualTo(14000);
        assertThat(order.body().path("tickets")).isEmpty();

        JsonNode held = awaitAvailability(eventId, 3, 0);
        assertThat(held.path("available").asInt()).isEqualTo(497);
        assertThat(held.path("tiers").get(0).path("reserved").asInt()).isEqualTo(2);
        assertThat(held.path("tiers").get(0).path("available").asInt()).isEqualTo(398);
        assertThat(held.path("tiers").get(1).path("reserved").asInt()).isEqualTo(1);

        ApiClient.Response mine = api.get("/api/v1/events/" + eventId + "/availability", alice);
        assertThat(mine.body().path("myReservation").path("orderId").asText()).isEqualTo(orderId);
        assertThat(mine.body().path("myReservation").path("lines")).hasSize(2);
        assertThat(availability(eventId).has("myReservation")).isFalse();

        ApiClient.Response myOrders = api.get("/api/v1/me/orders", alice);
        assertThat(myOrders.body()).hasSize(1);
        assertThat(myOrders.body().get(0).path("orderId").asText()).isEqualTo(orderId);

        ApiClient.Response cancelled = api.post("/api/v1/orders/" + orderId + "/cancel", alice, Map.of());
        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
        assertThat(cancelled.body().path("status").asText()).isEqualTo("CANCELLED");
        assertThat(api.get("/api/v1/orders/" + orderId, alice).body().path("status").asText()).isEqualTo("CANCELLED");
        JsonNode released = awaitAvailability(eventId, 0, 0);
        assertThat(released.path("available").asInt()).isEqualTo(500);

        ApiClient.Response again = api.post("/api/v1/orders/" + orderId + "/cancel", alice, Map.of());
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("ORDER_NOT_CANCELLABLE");

        // the hold is gone, so the same buyer may reserve again
        assertThat(reserve(alice, eventId, general, 1).status()).isEqualTo(201);
    }

    @Test
    void eventsAreListedWithWhatIsLeft() {
        JsonNode event = createEvent(3, false, "General", 1000, 5);
        String eventId = event.path("eventId").asText();
        assertThat(reserve(buyer(), eventId, tierId(event, 0), 2).status()).isEqualTo(201);
        awaitAvailability(eventId, 2, 0);
        JsonNode listed = null;
        for (JsonNode summary : api.get("/api/v1/events", null).body()) {
            if (summary.path("eventId").asText().equals(eventId)) {
                listed = summary;
            }
        }
        assertThat(listed).isNotNull();
        assertThat(listed.path("maxAttendees").asInt()).isEqualTo(3);
        assertThat(listed.path("available").asInt()).isEqualTo(1);
        assertThat(listed.path("currency").asText()).isEqualTo("usd");
    }

    @Test
    void organiserAddsTierAndChangesCapacityButNeverBelowWhatIsHeld() {
        JsonNode event = createEvent(null, false, "General", 2500, 10);
        String eventId = event.path("eventId").asText();
        String general = tierId(event, 0);

        ApiClient.Response added = api.post("/api/v1/events/" + eventId + "/tiers", ORGANIZER,
                Map.of("name", "Balcony", "priceCents", 4000, "capacity", 5));
        assertThat(added.status()).as(added.toString()).isEqualTo(201);
        String balcony = added.body().path("tierId").asText();
        assertThat(reserve(buyer(), eventId, general, 4, balcony, 2).status()).isEqualTo(201);

        ApiClient.Response tooLow = api.patch("/api/v1/events/" + eventId + "/tiers/" + general, ORGANIZER,
                Map.of("capacity", 3));
        assertThat(tooLow.status()).isEqualTo(409);
        assertThat(tooLow.code()).isEqualTo("CAPACITY_BELOW_COMMITTED");
        assertThat(tooLow.contentType()).startsWith("application/problem+json");

        ApiClient.Response raised = api.patch("/api/v1/events/" + eventId + "/tiers/" + general, ORGANIZER,
                Map.of("capacity", 4));
        assertThat(raised.status()).as(raised.toString()).isEqualTo(200);
        JsonNode now = awaitAvailability(eventId, 6, 0);
        assertThat(now.path("tiers").get(0).path("capacity").asInt()).isEqualTo(4);
        assertThat(now.path("tiers").get(0).path("available").asInt()).isZero();
        assertThat(now.path("tiers").get(1).path("name").asText()).isEqualTo("Balcony");
        assertThat(now.path("tiers").get(1).path("available").asInt()).isEqualTo(3);

        ApiClient.Response soldOut = reserve(buyer(), eventId, general, 1);
        assertThat(soldOut.status()).isEqualTo(409);
        assertThat(soldOut.code()).isEqualTo("TIER_SOLD_OUT");
        assertThat(soldOut.body().path("tierId").asText()).isEqualTo(general);
        assertThat(soldOut.body().path("available").asInt()).isZero();
    }
}
