package dev.ticketing.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticketing.platform.testing.ApiClient;
import dev.ticketing.platform.testing.TestTokens;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class IdempotencyAndOwnershipTest extends StandaloneOnPostgres {

    @Test
    void sameKeyAndBodyReturnsTheOriginalOrderHoweverOftenSent() {
        JsonNode event = createEvent(null, false, "General", 2500, 10);
        String eventId = event.path("eventId").asText();
        String bob = buyer();
        var headers = Map.of("Idempotency-Key", "checkout-42");
        var body = selections(tierId(event, 0), 2);

        ApiClient.Response first = api.post("/api/v1/events/" + eventId + "/orders", bob, body, headers);
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        for (int i = 0; i < 3; i++) {
            ApiClient.Response again = api.post("/api/v1/events/" + eventId + "/orders", bob, body, headers);
            assertThat(again.status()).isEqualTo(201);
            assertThat(again.body()).isEqualTo(first.body());
            assertThat(again.header("Location")).isEqualTo(first.header("Location"));
        }
        assertThat(storedEventsOf(eventId, "TicketsReserved")).isEqualTo(1); // one reservation
        assertThat(awaitAvailability(eventId, 2, 0).path("available").asInt()).isEqualTo(8);
    }

    @Test
    void aRetryAfterTheHoldEndedStillGetsTheOriginalOrder_andHoldsNothingMore() throws Exception {
        // no hold of the buyer is left to refuse the retry: the directory's unique key does, and
        // other buyers' reservations decided with it are unharmed
        JsonNode event = createEvent(null, false, "General", 2500, 10);
        String eventId = event.path("eventId").asText();
        String bob = buyer();
        var headers = Map.of("Idempotency-Key", "checkout-44");
        var body = selections(tierId(event, 0), 2);
        ApiClient.Response first = api.post("/api/v1/events/" + eventId + "/orders", bob, body, headers);
        assertThat(first.status()).isEqualTo(201);
        String orderId = first.body().path("orderId").asText();
        assertThat(api.post("/api/v1/orders/" + orderId + "/cancel", bob, Map.of()).status()).isEqualTo(200);

        List<ApiClient.Response> others = new ArrayList<>();
        ApiClient.Response again;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Future<ApiClient.Response> retry = pool.submit(() ->
                    api.post("/api/v1/events/" + eventId + "/orders", bob, body, headers));
            List<Future<ApiClient.Response>> rest = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                rest.add(pool.submit(() -> reserve(buyer(), eventId, tierId(event, 0), 1)));
            }
            again = retry.get();
            for (Future<ApiClient.Response> other : rest) {
                others.add(other.get());
            }
        } finally {
            pool.shutdown();
        }
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.body().path("orderId").asText()).isEqualTo(orderId);
        assertThat(others).allSatisfy(other -> assertThat(other.status()).as(other.toString()).isEqualTo(201));
        assertThat(storedEventsOf(eventId, "TicketsReserved")).as("the original and the three others").isEqualTo(4);
        assertThat(awaitAvailability(eventId, 3, 0).path("available").asInt()).isEqualTo(7);
    }

    @Test
    void sameKeyWithAnotherBodyIsRefusedAndChangesNothing() {
        JsonNode event = createEvent(null, false, "General", 2500, 10);
        String eventId = event.path("eventId").asText();
        String bob = buyer();
        var headers = Map.of("Idempotency-Key", "checkout-43");
        assertThat(api.post("/api/v1/events/" + eventId + "/orders", bob, selections(tierId(event, 0), 2), headers)
                .status()).isEqualTo(201);

        ApiClient.Response other = api.post("/api/v1/events/" + eventId + "/orders", bob,
                selections(tierId(event, 0), 3), headers);
        assertThat(other.status()).isEqualTo(422);
        assertThat(other.code()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        assertThat(storedEventsOf(eventId, "TicketsReserved")).isEqualTo(1);
    }

    @Test
    void theSameKeyOfAnotherUserIsIndependent() {
        JsonNode event = createEvent(null, false, "General", 2500, 10);
        String eventId = event.path("eventId").asText();
        var headers = Map.of("Idempotency-Key", "shared-key");
        ApiClient.Response carol = api.post("/api/v1/events/" + eventId + "/orders", buyer(),
                selections(tierId(event, 0), 1), headers);
        ApiClient.Response dave = api.post("/api/v1/events/" + eventId + "/orders", buyer(),
                selections(tierId(event, 0), 1), headers);
        assertThat(carol.status()).isEqualTo(201);
        assertThat(dave.status()).isEqualTo(201);
        assertThat(dave.body().path("orderId")).isNotEqualTo(carol.body().path("orderId"));
    }

    @Test
    void concurrentRetriesWithOneKeyReserveOnce() throws Exception {
        JsonNode event = createEvent(null, false, "General", 2500, 100);
        String eventId = event.path("eventId").asText();
        String erin = buyer();
        var headers = Map.of("Idempotency-Key", "double-click");
        var body = selections(tierId(event, 0), 2);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<ApiClient.Response>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(() -> api.post("/api/v1/events/" + eventId + "/orders", erin, body, headers));
            }
            Set<String> orderIds = new HashSet<>();
            for (Future<ApiClient.Response> result : pool.invokeAll(calls)) {
                assertThat(result.get().status()).as(result.get().toString()).isEqualTo(201);
                orderIds.add(result.get().body().path("orderId").asText());
            }
            assertThat(orderIds).hasSize(1);
        } finally {
            pool.shutdown();
        }
        assertThat(storedEventsOf(eventId, "TicketsReserved")).isEqualTo(1);
    }

    @Test
    void onlyTheBuyerOrganisersAndAuditorsReadAnOrder() {
        JsonNode event = createEvent(null, false, "General", 2500, 10);
        String eventId = event.path("eventId").asText();
        String owner = buyer();
        String orderId = reserve(owner, eventId, tierId(event, 0), 1).body().path("orderId").asText();
        String path = "/api/v1/orders/" + orderId;

        assertThat(api.get(path, owner).status()).isEqualTo(200);
        assertThat(api.get(path, ORGANIZER).status()).isEqualTo(200);
        assertThat(api.get(path, AUDITOR).status()).isEqualTo(200);
        ApiClient.Response stranger = api.get(path, buyer());
        assertThat(stranger.status()).isEqualTo(403);
        assertThat(stranger.code()).isEqualTo("FORBIDDEN");
        ApiClient.Response anonymous = api.get(path, null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.code()).isEqualTo("UNAUTHENTICATED");
        assertThat(api.get("/api/v1/me/orders", buyer()).body()).isEmpty();
    }

    @Test
    void onlyTheBuyerOrAnOrganiserCancels() {
        JsonNode event = createEvent(null, false, "General", 2500, 10);
        String eventId = event.path("eventId").asText();
        String owner = buyer();
        String first = reserve(owner, eventId, tierId(event, 0), 1).body().path("orderId").asText();

        ApiClient.Response stranger = api.post("/api/v1/orders/" + first + "/cancel", buyer(), Map.of());
        assertThat(stranger.status()).isEqualTo(403);
        assertThat(stranger.code()).isEqualTo("FORBIDDEN");
        assertThat(storedEventsOf(eventId, "TicketsReserved")).isEqualTo(1);

        ApiClient.Response byOrganiser = api.post("/api/v1/orders/" + first + "/cancel", ORGANIZER, Map.of());
        assertThat(byOrganiser.status()).isEqualTo(200);
        assertThat(byOrganiser.body().path("status").asText()).isEqualTo("CANCELLED");
    }

    @Test
    void aBuyerCannotManageEvents() {
        String before = String.valueOf(storedEvents());
        ApiClient.Response refused = api.post("/api/v1/events", buyer(), Map.of("name", "x"));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.code()).isEqualTo("FORBIDDEN");
        assertThat(String.valueOf(storedEvents())).isEqualTo(before);
        ApiClient.Response member = api.post("/api/v1/events", TestTokens.token("m", "MEMBER"), Map.of());
        assertThat(member.status()).isEqualTo(403);
    }
}
