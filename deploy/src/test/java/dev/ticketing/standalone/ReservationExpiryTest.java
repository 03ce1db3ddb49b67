package dev.ticketing.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticketing.platform.testing.ApiClient;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Holds time out on the persistent deadline manager (db-scheduler on PostgreSQL). */
@TestPropertySource(properties = "ticketing.reservation.timeout=PT3S")
class ReservationExpiryTest extends StandaloneOnPostgres {

    @Test
    void reservationExpiresAfterTimeoutAndReleasesSeats() {
        JsonNode event = createEvent(4, false, "General", 2500, 10);
        String eventId = event.path("eventId").asText();
        String buyer = buyer();
        ApiClient.Response reserved = reserve(buyer, eventId, tierId(event, 0), 4);
        assertThat(reserved.status()).isEqualTo(201);
        String orderId = reserved.body().path("orderId").asText();
        Instant expiresAt = Instant.parse(reserved.body().path("expiresAt").asText());
        awaitAvailability(eventId, 4, 0);
        assertThat(reserve(buyer(), eventId, tierId(event, 0), 1).code()).isEqualTo("EVENT_AT_CAPACITY");

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> api.get("/api/v1/orders/" + orderId, buyer).body().path("status").asText().equals("EXPIRED"));
        Instant seenExpired = Instant.now();
        assertThat(seenExpired).isAfterOrEqualTo(expiresAt);
        assertThat(Duration.between(expiresAt, seenExpired)).isLessThan(Duration.ofSeconds(5));
        assertThat(awaitAvailability(eventId, 0, 0).path("available").asInt()).isEqualTo(4);

        // the seats are on sale again, and the buyer may reserve again
        assertThat(reserve(buyer, eventId, tierId(event, 0), 4).status()).isEqualTo(201);
        ApiClient.Response cancelExpired = api.post("/api/v1/orders/" + orderId + "/cancel", buyer, Map.of());
        assertThat(cancelExpired.code()).isEqualTo("ORDER_NOT_CANCELLABLE");
    }

    @Test
    void aHoldNobodyStartedToPayIsMadeAndExpiresWithoutAStripeCall() {
        JsonNode event = createEvent(null, false, "General", 2500, 10);
        String eventId = event.path("eventId").asText();
        long stripeCalls = stripeBuyer().requests().path("total").asLong();
        String buyer = buyer();
        String orderId = reserve(buyer, eventId, tierId(event, 0), 2).body().path("orderId").asText();

        awaitOrder(orderId, buyer, "EXPIRED");
        // once the payment saga's processor has handled the expiry, it has had its chance to call Stripe
        Long expiry = jdbc.queryForObject("SELECT globalindex FROM domainevententry WHERE aggregateidentifier = ? "
                + "AND payloadtype LIKE '%.ReservationExpired'", Long.class, eventId);
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject("SELECT min((convert_from(token, "
                + "'UTF8')::jsonb ->> 'index')::bigint) FROM tokenentry WHERE processorname = 'PaymentSagaProcessor'",
                Long.class) >= expiry);
        assertThat(stripeBuyer().requests().path("total").asLong()).as("Stripe calls").isEqualTo(stripeCalls);
        assertThat(api.get("/api/v1/orders/" + orderId, buyer).body().path("payment").isNull()).isTrue();
    }

    @Test
    void cancellingReleasesAtOnce_andTheExpiryThenFindsNothingToEnd() {
        JsonNode event = createEvent(null, false, "General", 2500, 10);
        String eventId = event.path("eventId").asText();
        String buyer = buyer();
        JsonNode reserved = reserve(buyer, eventId, tierId(event, 0), 2).body();
        String orderId = reserved.path("orderId").asText();
        Instant expiresAt = Instant.parse(reserved.path("expiresAt").asText());
        assertThat(pendingDeadlines(eventId)).as("the inventory's expiry deadline").isEqualTo(1);

        assertThat(api.post("/api/v1/orders/" + orderId + "/cancel", buyer, Map.of()).status()).isEqualTo(200);
        awaitAvailability(eventId, 0, 0);
        // the deadline still runs when the hold would have ended, and then schedules nothing: no hold is left
        await().atMost(Duration.ofSeconds(10)).until(() -> pendingDeadlines(eventId) == 0);
        List<JsonNode> stream = auditedEvents(eventId);
        JsonNode last = stream.get(stream.size() - 1);
        assertThat(simpleType(last)).isEqualTo("HoldsExpiryScheduled");
        assertThat(last.path("payload").path("at").isNull()).as("nothing left to expire").isTrue();
        assertThat(Instant.parse(last.path("timestamp").asText())).as("stored by the expiry's run").isAfterOrEqualTo(expiresAt);
        assertThat(stream).extracting(StandaloneOnPostgres::simpleType).as("no expiry after the cancellation")
                .doesNotContain("ReservationExpired");
        assertThat(api.get("/api/v1/orders/" + orderId, buyer).body().path("status").asText()).isEqualTo("CANCELLED");
    }

    @Test
    void manyHoldsOfOneEventShareOneDeadline_andAllExpireOnTime() {
        JsonNode event = createEvent(null, false, "General", 2500, 100);
        String eventId = event.path("eventId").asText();
        Map<String, String> orders = new LinkedHashMap<>();
        Instant lastEnd = Instant.MIN;
        for (int i = 0; i < 20; i++) {
            String buyer = buyer();
            ApiClient.Response reserved = reserve(buyer, eventId, tierId(event, 0), 1);
            assertThat(reserved.status()).isEqualTo(201);
            orders.put(reserved.body().path("orderId").asText(), buyer);
            Instant end = Instant.parse(reserved.body().path("expiresAt").asText());
            lastEnd = end.isAfter(lastEnd) ? end : lastEnd;
        }
        assertThat(pendingDeadlines(eventId)).as("deadlines scheduled for 20 holds").isEqualTo(1);

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() ->
                storedEventsOf(eventId, "ReservationExpired") == orders.size());
        assertThat(Duration.between(lastEnd, Instant.now())).as("the last hold expired on time")
                .isLessThan(Duration.ofSeconds(5));
        orders.forEach((orderId, buyer) -> await().atMost(Duration.ofSeconds(10)).until(() ->
                api.get("/api/v1/orders/" + orderId, buyer).body().path("status").asText().equals("EXPIRED")));
        awaitAvailability(eventId, 0, 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> pendingDeadlines(eventId) == 0);
    }

    /** Scheduled deadlines of this inventory (its id is in each deadline's serialised scope). */
    private int pendingDeadlines(String eventId) {
        return jdbc.queryForObject("SELECT count(*) FROM scheduled_tasks WHERE position(convert_to(?, 'UTF8') in task_data) > 0",
                Integer.class, eventId);
    }
}
