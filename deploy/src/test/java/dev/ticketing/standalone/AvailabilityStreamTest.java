package dev.ticketing.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticketing.platform.testing.ApiClient;
import dev.ticketing.query.availability.AvailabilityStreams;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /api/v1/events/{id}/availability/stream} over real HTTP: the counts at connect, then
 * one push per committed change, in order, to every watcher of that event and to no other.
 */
class AvailabilityStreamTest extends StandaloneOnPostgres {

    private static final Logger log = LoggerFactory.getLogger(AvailabilityStreamTest.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PUSH = Duration.ofSeconds(10);

    @Autowired
    AvailabilityStreams streams;
    @Autowired
    MeterRegistry meters;
    private final List<AvailabilityWatcher> watchers = new ArrayList<>();

    @AfterEach
    void hangUp() {
        watchers.forEach(AvailabilityWatcher::close);
    }

    private AvailabilityWatcher watch(String eventId) {
        AvailabilityWatcher watcher = AvailabilityWatcher.watch(port, eventId);
        watchers.add(watcher);
        return watcher;
    }

    @Test
    void watcherGetsTheCountsAtConnectThenOnePushPerChangeInOrder() {
        JsonNode event = createEvent(100, false, "General", 2500, 40, "VIP", 9000, 10);
        String eventId = event.path("eventId").asText();
        String general = tierId(event, 0);
        String vip = tierId(event, 1);
        // right after the 201: the stream waits for the projection to have the new event
        AvailabilityWatcher watcher = watch(eventId);

        assertThat(watcher.nextBody()).isEqualTo(availability(eventId));

        List<String> orders = new ArrayList<>();
        List<String> buyers = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            String buyer = buyer();
            ApiClient.Response reserved = reserve(buyer, eventId, general, 2, vip, 1);
            assertThat(reserved.status()).as(reserved.toString()).isEqualTo(201);
            orders.add(reserved.body().path("orderId").asText());
            buyers.add(buyer);

            JsonNode pushed = watcher.nextBody();
            assertThat(pushed.path("reserved").asInt()).isEqualTo(3 * i);
            assertThat(pushed.path("available").asInt()).isEqualTo(50 - 3 * i); // the tiers (40 + 10) are below maxAttendees
            assertThat(pushed.path("tiers").get(0).path("reserved").asInt()).isEqualTo(2 * i);
            assertThat(pushed.path("tiers").get(1).path("reserved").asInt()).isEqualTo(i);
        }

        ApiClient.Response cancelled = api.post("/api/v1/orders/" + orders.get(0) + "/cancel", buyers.get(0), Map.of());
        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
        JsonNode afterCancel = watcher.nextBody();
        assertThat(afterCancel.path("reserved").asInt()).isEqualTo(12);
        assertThat(afterCancel.path("tiers").get(1).path("available").asInt()).isEqualTo(6);

        ApiClient.Response raised = api.patch("/api/v1/events/" + eventId + "/tiers/" + vip, ORGANIZER,
                Map.of("capacity", 25));
        assertThat(raised.status()).as(raised.toString()).isEqualTo(200);
        JsonNode afterCapacity = watcher.nextBody();
        assertThat(afterCapacity.path("tiers").get(1).path("capacity").asInt()).isEqualTo(25);
        assertThat(afterCapacity.path("tiers").get(1).path("available").asInt()).isEqualTo(21);
        assertThat(afterCapacity.path("reserved").asInt()).isEqualTo(12);

        ApiClient.Response added = api.post("/api/v1/events/" + eventId + "/tiers", ORGANIZER,
                Map.of("name", "Balcony", "priceCents", 4000, "capacity", 5));
        assertThat(added.status()).as(added.toString()).isEqualTo(201);
        JsonNode afterTier = watcher.nextBody();
        assertThat(afterTier.path("tiers")).hasSize(3);
        assertThat(afterTier.path("tiers").get(2).path("available").asInt()).isEqualTo(5);

        assertThat(afterTier).isEqualTo(availability(eventId));
        assertThat(afterTier.has("myReservation")).isFalse();
        watcher.assertNothingWithin(Duration.ofMillis(500));
    }

    @Test
    void countsNeverGoBackWhileBuyersReserveAtOnce() throws Exception {
        int buyers = 40;
        JsonNode event = createEvent(null, false, "General", 2500, 100);
        String eventId = event.path("eventId").asText();
        String general = tierId(event, 0);
        AvailabilityWatcher watcher = watch(eventId);
        assertThat(watcher.nextBody().path("reserved").asInt()).isZero();

        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<ApiClient.Response>> results = new ArrayList<>();
            for (int i = 0; i < buyers; i++) {
                String token = buyer();
                results.add(clients.submit(() -> reserve(token, eventId, general, 1)));
            }
            for (Future<ApiClient.Response> result : results) {
                assertThat(result.get().status()).as(result.get().toString()).isEqualTo(201);
            }
        } finally {
            clients.shutdownNow();
        }

        List<Integer> seen = new ArrayList<>();
        JsonNode last;
        do {
            last = watcher.nextBody();
            seen.add(last.path("reserved").asInt());
        } while (last.path("reserved").asInt() < buyers);
        assertThat(seen).isSorted().doesNotHaveDuplicates().endsWith(buyers);
        assertThat(last).isEqualTo(availability(eventId));
        watcher.assertNothingWithin(Duration.ofMillis(500));
        log.info("{} reservations at once reached the watcher in {} pushes", buyers, seen.size());
    }

    @Test
    void everyWatcherOfTheEventSeesAChangeAndWatchersOfAnotherEventSeeNothing() {
        JsonNode event = createEvent(null, false, "General", 2500, 50);
        String eventId = event.path("eventId").asText();
        String otherEventId = createEvent(null, false, "General", 2500, 50).path("eventId").asText();
        List<AvailabilityWatcher> crowd = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            crowd.add(watch(eventId));
        }
        AvailabilityWatcher other = watch(otherEventId);
        crowd.forEach(watcher -> assertThat(watcher.nextBody().path("reserved").asInt()).isZero());
        assertThat(other.nextBody().path("eventId").asText()).isEqualTo(otherEventId);

        assertThat(reserve(buyer(), eventId, tierId(event, 0), 3).status()).isEqualTo(201);

        for (AvailabilityWatcher watcher : crowd) {
            JsonNode pushed = watcher.nextBody();
            assertThat(pushed.path("eventId").asText()).isEqualTo(eventId);
            assertThat(pushed.path("reserved").asInt()).isEqualTo(3);
        }
        other.assertNothingWithin(Duration.ofSeconds(1));
    }

    @Test
    void aReservationReachesAWatcherWithinASecondOfItsCreatedResponse() {
        int reservations = 200;
        JsonNode event = createEvent(null, false, "General", 2500, 1000);
        String eventId = event.path("eventId").asText();
        String general = tierId(event, 0);
        AvailabilityWatcher watcher = watch(eventId);
        watcher.nextBody();

        long[] latencies = new long[reservations];
        for (int i = 0; i < reservations; i++) {
            ApiClient.Response reserved = reserve(buyer(), eventId, general, 1);
            long created = System.nanoTime();
            assertThat(reserved.status()).as(reserved.toString()).isEqualTo(201);
            AvailabilityWatcher.Push push;
            do {
                push = watcher.next(PUSH);
            } while (push.reserved() < i + 1);
            // a push may even come in before the 201 does: that counts as no wait at all
            latencies[i] = Math.max(0, push.receivedNanos() - created) / 1_000_000;
        }

        java.util.Arrays.sort(latencies);
        long p50 = latencies[(int) Math.ceil(0.50 * reservations) - 1];
        long p99 = latencies[(int) Math.ceil(0.99 * reservations) - 1];
        long max = latencies[reservations - 1];
        log.info("availability push latency over {} reservations: p50={} ms p99={} ms max={} ms",
                reservations, p50, p99, max);
        assertThat(p99).isLessThan(1000);
    }

    @Test
    void aWatcherThatHangsUpIsForgotten() {
        JsonNode event = createEvent(null, false, "General", 2500, 50);
        String eventId = event.path("eventId").asText();
        UUID id = UUID.fromString(eventId);
        AvailabilityWatcher staying = watch(eventId);
        AvailabilityWatcher leaving = watch(eventId);
        staying.nextBody();
        leaving.nextBody();
        assertThat(streams.watching(id)).isEqualTo(2);
        assertThat(openStreams()).isGreaterThanOrEqualTo(2);
        double before = openStreams();

        leaving.close();
        // the server learns of it when it next writes: here a change of the event
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertThat(reserve(buyer(), eventId, tierId(event, 0), 1).status()).isEqualTo(201);
            return streams.watching(id) == 1;
        });
        assertThat(openStreams()).isLessThan(before);
        assertThat(staying.nextBody().path("reserved").asInt()).isPositive();
    }

    /**
     * A rebuild starts from zero: watchers must not see the counts drop and climb again. The event
     * has more reservations than the processor's batch (100), so its rebuild spans several commits.
     */
    @Test
    void aRebuildOfTheProjectionIsNotShownToWatchers() throws Exception {
        int reservations = 250;
        JsonNode event = createEvent(null, false, "General", 2500, reservations + 1);
        String eventId = event.path("eventId").asText();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<ApiClient.Response>> results = new ArrayList<>();
            for (int i = 0; i < reservations; i++) {
                String token = buyer();
                results.add(clients.submit(() -> reserve(token, eventId, tierId(event, 0), 1)));
            }
            for (Future<ApiClient.Response> result : results) {
                assertThat(result.get().status()).as(result.get().toString()).isEqualTo(201);
            }
        } finally {
            clients.shutdownNow();
        }
        AvailabilityWatcher watcher = watch(eventId);
        while (watcher.next(PUSH).reserved() < reservations) {
            // the pushes of the reservations that were not projected yet at connect
        }

        ApiClient.Response started = api.post("/api/v1/audit/replays", AUDITOR, Map.of("projection", "availability"));
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        String replay = "/api/v1/audit/replays/" + started.body().path("replayId").asText();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() ->
                !api.get(replay, AUDITOR).body().path("status").asText().equals("RUNNING"));
        assertThat(api.get(replay, AUDITOR).body().path("status").asText()).isEqualTo("DONE");

        watcher.assertNothingWithin(Duration.ofMillis(500));
        assertThat(streams.watching(UUID.fromString(eventId))).isEqualTo(1);
        assertThat(reserve(buyer(), eventId, tierId(event, 0), 1).status()).isEqualTo(201);
        assertThat(watcher.nextBody().path("reserved").asInt()).isEqualTo(reservations + 1);
    }

    /** More open streams than Tomcat has request threads (200): a stream holds a connection, not a thread. */
    @Test
    void aThousandOpenStreamsHoldNoRequestThreads() {
        int streamCount = 1000;
        JsonNode event = createEvent(null, false, "General", 2500, 50);
        String eventId = event.path("eventId").asText();
        UUID id = UUID.fromString(eventId);
        List<EventCounter> counters = new ArrayList<>();
        try {
            for (int opened = 0; opened < streamCount; opened += 100) {
                List<EventCounter> batch = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    EventCounter counter = new EventCounter();
                    AvailabilityWatcher.HTTP.sendAsync(AvailabilityWatcher.request(port, eventId),
                            HttpResponse.BodyHandlers.fromLineSubscriber(counter));
                    batch.add(counter);
                }
                counters.addAll(batch);
                await().atMost(PUSH).until(() -> batch.stream().allMatch(counter -> counter.events.get() >= 1));
            }
            assertThat(streams.watching(id)).isEqualTo(streamCount);

            assertThat(availability(eventId).path("reserved").asInt()).isZero();
            assertThat(reserve(buyer(), eventId, tierId(event, 0), 2).status()).isEqualTo(201);
            await().atMost(PUSH).until(() -> counters.stream().allMatch(counter -> counter.events.get() >= 2));
        } finally {
            counters.forEach(EventCounter::hangUp);
        }
        // the next writes to them fail, and the streams are dropped
        await().atMost(PUSH).pollInterval(Duration.ofMillis(500)).until(() -> {
            assertThat(reserve(buyer(), eventId, tierId(event, 0), 1).status()).isEqualTo(201);
            return streams.watching(id) == 0;
        });
    }

    /** Counts a stream's availability events without a thread of its own. */
    private static final class EventCounter implements Flow.Subscriber<String> {
        final AtomicInteger events = new AtomicInteger();
        private volatile Flow.Subscription subscription;

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (line.equals("event:availability")) {
                events.incrementAndGet();
            }
        }

        @Override
        public void onError(Throwable throwable) {
        }

        @Override
        public void onComplete() {
        }

        void hangUp() {
            if (subscription != null) {
                subscription.cancel();
            }
        }
    }

    @Test
    void anUnknownEventIsNotFoundBeforeAnyStreamStarts() throws Exception {
        HttpResponse<String> unknown = AvailabilityWatcher.HTTP.send(
                AvailabilityWatcher.request(port, UUID.randomUUID().toString()), HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JSON.readTree(unknown.body()).path("code").asText()).isEqualTo("EVENT_NOT_FOUND");

        ApiClient.Response plain = api.get("/api/v1/events/" + UUID.randomUUID() + "/availability/stream", null);
        assertThat(plain.status()).isEqualTo(404);
        assertThat(plain.code()).isEqualTo("EVENT_NOT_FOUND");

        ApiClient.Response notAnId = api.get("/api/v1/events/not-a-uuid/availability/stream", null);
        assertThat(notAnId.status()).isEqualTo(400);
        assertThat(notAnId.code()).isEqualTo("VALIDATION_FAILED");
    }

    private double openStreams() {
        return meters.get("ticketing.availability.streams").gauge().value();
    }
}
