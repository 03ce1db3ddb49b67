package dev.ticketing.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticketing.platform.testing.ApiClient;
import dev.ticketing.platform.testing.TestTokens;
import dev.ticketing.standalone.AvailabilityWatcher;
import dev.ticketing.testing.TicketingDriver;
import dev.ticketing.testing.TicketingDriver.OnSale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 7 on the local cluster (deploy/cluster/cluster.sh): two command nodes and two query nodes
 * on one PostgreSQL behind nginx. Nothing is oversold whichever node decides, a node killed with
 * SIGKILL loses no acknowledged hold nor a deadline, the query nodes share and take over the
 * projections, watchers on every node see changes, and a rolling restart loses no acknowledged
 * request. One cluster for all (starting four JVMs takes a minute on two cores); each test leaves
 * every node running.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    /** Long enough for the tests to check holds before they end, short enough to see them expire. */
    private static final Duration HOLD = Duration.ofSeconds(50);
    private static final String ORGANIZER = TestTokens.token("cluster-organiser", "ORGANIZER");

    private static LocalCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new LocalCluster(HOLD).start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void theQueryNodesShareTheProjections() {
        // each processor's segment is claimed by one node; the balancer hands one on to an idle node
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(claimOwners(Set.of("availability", "orders", "ledger"))).as("nodes claiming projections")
                        .hasSize(2));
    }

    @Test
    @Order(2)
    void sixtyFourBuyersOverBothCommandNodesNeverOversell() throws Exception {
        int seats = 10;
        ExecutorService buyers = Executors.newFixedThreadPool(64);
        try {
            for (int round = 1; round <= 20; round++) {
                OnSale event = createEvent("Race " + round, seats, seats);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<ApiClient.Response>> answers = new ArrayList<>();
                for (int i = 0; i < 64; i++) {
                    // not sticky: every other buyer goes straight to the other command node
                    ApiClient node = cluster.node(LocalCluster.COMMAND_NODES.get(i % 2));
                    String buyer = TestTokens.token("race-" + round + "-" + i);
                    answers.add(buyers.submit(() -> {
                        go.await();
                        return reserve(node, buyer, event, 1, UUID.randomUUID().toString());
                    }));
                }
                go.countDown();
                int granted = 0;
                for (Future<ApiClient.Response> answer : answers) {
                    ApiClient.Response response = answer.get();
                    if (response.status() == 201) {
                        granted++;
                    } else {
                        assertThat(response.code()).as("round " + round + ": " + response)
                                .isIn("TIER_SOLD_OUT", "EVENT_AT_CAPACITY");
                    }
                }
                assertThat(granted).as("round " + round + ": holds granted for " + seats + " seats").isEqualTo(seats);
                assertThat(heldInStore(event.eventId())).as("round " + round + ": tickets held in the event store")
                        .isEqualTo(seats);
                awaitReserved(cluster.ingress(), event, seats);
            }
        } finally {
            buyers.shutdownNow();
        }
    }

    @Test
    @Order(3)
    void aKilledCommandNodeLosesNoAcknowledgedHoldAndItsHoldsStillExpire() throws Exception {
        OnSale event = createEvent("Crash sale", 100_000, 100_000);
        Map<String, Instant> acknowledged = new ConcurrentHashMap<>();
        AtomicBoolean selling = new AtomicBoolean(true);
        AtomicInteger retriedElsewhere = new AtomicInteger();
        AtomicInteger sent = new AtomicInteger();
        ExecutorService buyers = Executors.newFixedThreadPool(8);
        List<Future<?>> running = new ArrayList<>();
        for (int b = 0; b < 8; b++) {
            running.add(buyers.submit(() -> {
                while (selling.get()) {
                    String buyer = TestTokens.token("crash-" + sent.incrementAndGet());
                    String key = UUID.randomUUID().toString();
                    ApiClient.Response answer;
                    try {
                        answer = reserve(cluster.node("command-1"), buyer, event, 1, key);
                    } catch (UncheckedIOException nodeGone) {
                        // the buyer's retry, against the other node, with the same key
                        answer = reserve(cluster.node("command-2"), buyer, event, 1, key);
                        retriedElsewhere.incrementAndGet();
                    }
                    assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
                    acknowledged.put(answer.body().path("orderId").asText(),
                            Instant.parse(answer.body().path("expiresAt").asText()));
                }
                return null;
            }));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= 40);
        cluster.kill("command-1");
        await().atMost(Duration.ofSeconds(30)).until(() -> retriedElsewhere.get() >= 8);
        Thread.sleep(1000);
        selling.set(false);
        for (Future<?> buyer : running) {
            buyer.get();
        }
        buyers.shutdown();

        Set<String> stored = ordersInStore(event.eventId());
        assertThat(stored).as("every acknowledged hold is in the event store").containsAll(acknowledged.keySet());
        Instant lastExpiry = acknowledged.values().stream().max(Instant::compareTo).orElseThrow();
        assertThat(Instant.now()).as("checked before the holds end, or the test proves nothing")
                .isBefore(lastExpiry.minusSeconds(5));
        // the holds command-1 granted expire on time, through the surviving node's scheduler
        await().atMost(Duration.between(Instant.now(), lastExpiry).plusSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> expiredInStore(event.eventId()).containsAll(acknowledged.keySet()));
        Instant allExpired = Instant.now();
        assertThat(Duration.between(lastExpiry, allExpired)).as("the last hold expired on time")
                .isLessThan(Duration.ofSeconds(10));
        awaitReserved(cluster.ingress(), event, 0);

        cluster.startNode("command-1");
    }

    @Test
    @Order(4)
    void watchersOnEveryQueryNodeSeeAChangeWithinASecond() {
        OnSale event = createEvent("Watched sale", 100, 100);
        try (AvailabilityWatcher first = AvailabilityWatcher.watch(cluster.port("query-1"), event.eventId());
             AvailabilityWatcher second = AvailabilityWatcher.watch(cluster.port("query-2"), event.eventId())) {
            assertThat(first.nextBody().path("reserved").asInt()).isZero();
            assertThat(second.nextBody().path("reserved").asInt()).isZero();
            for (int i = 1; i <= 3; i++) {
                ApiClient.Response reserved = reserve(cluster.ingress(), TestTokens.token("watched-" + i), event, 2,
                        UUID.randomUUID().toString());
                assertThat(reserved.status()).as(reserved.toString()).isEqualTo(201);
                long acknowledgedAt = System.nanoTime();
                int expected = 2 * i;
                for (AvailabilityWatcher watcher : List.of(first, second)) {
                    AvailabilityWatcher.Push push = watcher.next(Duration.ofSeconds(1));
                    assertThat(push.reserved()).isEqualTo(expected);
                    assertThat(Duration.ofNanos(push.receivedNanos() - acknowledgedAt)).isLessThan(Duration.ofSeconds(1));
                }
            }
        }
    }

    @Test
    @Order(5)
    void aKilledQueryNodesProjectionsAreTakenOverAndReconnectedWatchersSeeTheCurrentState() throws Exception {
        OnSale event = createEvent("Query crash sale", 100, 100);
        cluster.kill("query-1");
        for (int i = 1; i <= 5; i++) {
            ApiClient.Response reserved = reserve(cluster.node("command-2"), TestTokens.token("qcrash-" + i), event, 1,
                    UUID.randomUUID().toString());
            assertThat(reserved.status()).as(reserved.toString()).isEqualTo(201);
        }
        // query-1's claims time out (10 s) and query-2 takes them: all three projections catch up
        await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(claimOwners(Set.of("availability", "orders", "ledger"))).as("live claim owners").hasSize(1));
        awaitReserved(cluster.node("query-2"), event, 5);
        ApiClient.Response lastOrder = cluster.node("query-2").get("/api/v1/events/" + event.eventId()
                + "/availability", null);
        assertThat(lastOrder.status()).isEqualTo(200);
        // a watcher that was on query-1 reconnects (through the ingress, which now knows one query node)
        try (AvailabilityWatcher reconnected = AvailabilityWatcher.watch(cluster.ingressPort(), event.eventId())) {
            assertThat(reconnected.nextBody().path("reserved").asInt()).isEqualTo(5);
            reserve(cluster.ingress(), TestTokens.token("qcrash-6"), event, 1, UUID.randomUUID().toString());
            assertThat(reconnected.next(Duration.ofSeconds(1)).reserved()).isEqualTo(6);
        }
        cluster.startNode("query-1");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(claimOwners(Set.of("availability", "orders", "ledger"))).as("shared again").hasSize(2));
    }

    @Test
    @Order(6)
    void aRollingRestartLosesNoAcknowledgedRequest() throws Exception {
        OnSale event = createEvent("Rolling sale", 100_000, 100_000);
        Map<String, Instant> acknowledged = new ConcurrentHashMap<>();
        AtomicBoolean selling = new AtomicBoolean(true);
        AtomicInteger retries = new AtomicInteger();
        AtomicInteger buyerNumbers = new AtomicInteger();
        ExecutorService buyers = Executors.newFixedThreadPool(4);
        List<Future<?>> running = new ArrayList<>();
        for (int b = 0; b < 4; b++) {
            running.add(buyers.submit(() -> {
                while (selling.get()) {
                    String buyer = TestTokens.token("rolling-" + buyerNumbers.incrementAndGet());
                    String key = UUID.randomUUID().toString();
                    // a light on-sale through the ingress; a buyer whose request failed sends it again (same key)
                    for (int attempt = 1; ; attempt++) {
                        ApiClient.Response answer = null;
                        try {
                            answer = reserve(cluster.ingress(), buyer, event, 1, key);
                        } catch (UncheckedIOException failed) {
                            // answered by nobody: try again
                        }
                        if (answer != null && answer.status() == 201) {
                            acknowledged.put(answer.body().path("orderId").asText(),
                                    Instant.parse(answer.body().path("expiresAt").asText()));
                            break;
                        }
                        assertThat(answer == null || answer.status() >= 500).as("only a failure is retried: " + answer)
                                .isTrue();
                        assertThat(attempt).as("attempts of one reservation").isLessThan(100);
                        retries.incrementAndGet();
                        Thread.sleep(200);
                    }
                    Thread.sleep(50);
                }
                return null;
            }));
        }
        for (String node : List.of("query-1", "query-2", "command-1", "command-2")) {
            cluster.stopNode(node);
            cluster.startNode(node);
        }
        selling.set(false);
        for (Future<?> buyer : running) {
            buyer.get();
        }
        buyers.shutdown();

        assertThat(acknowledged).as("reservations acknowledged during the restarts").hasSizeGreaterThan(50);
        assertThat(ordersInStore(event.eventId())).as("every acknowledged hold is in the event store")
                .containsAll(acknowledged.keySet()).hasSameSizeAs(acknowledged.keySet());
        // the read models have every order
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(ordersInReadModel(event.eventId())).as("orders in the orders read model")
                        .isEqualTo(acknowledged.size()));
        // every hold ends on time, whichever node granted it, and the availability counts it out.
        // (Compared once the store stops changing: while holds expire, a read always lags it.)
        Instant lastExpiry = acknowledged.values().stream().max(Instant::compareTo).orElseThrow();
        await().atMost(Duration.between(Instant.now(), lastExpiry).plusSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> expiredInStore(event.eventId()).containsAll(acknowledged.keySet()));
        assertThat(heldInStore(event.eventId()) - expiredInStoreTickets(event.eventId())).as("live holds in the store")
                .isZero();
        awaitReserved(cluster.ingress(), event, 0);
    }

    // ---- helpers ----

    /** One tier, "General"; on sale once the query side knows it. */
    private static OnSale createEvent(String name, int capacity, int maxAttendees) {
        TicketingDriver ingress = TicketingDriver.on(cluster.ingress(), ORGANIZER);
        return ingress.awaitOnSale(ingress.putOnSale(name, "eur", maxAttendees, false,
                List.of(new TicketingDriver.Tier("General", 4000, capacity))));
    }

    private static ApiClient.Response reserve(ApiClient via, String buyer, OnSale event, int quantity, String key) {
        return TicketingDriver.on(via, ORGANIZER).reserve(buyer, event.eventId(),
                TicketingDriver.selections(event.tierId(0), quantity), key);
    }

    private static void awaitReserved(ApiClient via, OnSale event, int reserved) {
        TicketingDriver.on(via, ORGANIZER).awaitAvailability(event.eventId(), Duration.ofSeconds(30),
                now -> now.path("reserved").asInt() == reserved);
    }

    /** Nodes holding a live claim (renewed within the claim timeout, 10 s) on any of these processors. */
    private static Set<String> claimOwners(Set<String> processors) throws Exception {
        try (Connection db = cluster.database();
             ResultSet claims = db.createStatement().executeQuery(
                     "SELECT processorName, owner, timestamp FROM TokenEntry WHERE owner IS NOT NULL")) {
            Set<String> nodes = new HashSet<>();
            Instant fresh = Instant.now().minusSeconds(10);
            while (claims.next()) {
                if (processors.contains(claims.getString(1)) && Instant.parse(claims.getString(3)).isAfter(fresh)) {
                    nodes.add(claims.getString(2));
                }
            }
            return nodes;
        }
    }

    private static int heldInStore(String eventId) throws Exception {
        int held = 0;
        for (JsonNode reserved : payloads(eventId, "TicketsReserved")) {
            for (JsonNode line : reserved.path("lines")) {
                held += line.path("quantity").asInt();
            }
        }
        return held;
    }

    private static Set<String> ordersInStore(String eventId) throws Exception {
        Set<String> orders = new HashSet<>();
        payloads(eventId, "TicketsReserved").forEach(reserved -> orders.add(reserved.path("orderId").asText()));
        return orders;
    }

    private static Set<String> expiredInStore(String eventId) throws Exception {
        Set<String> orders = new HashSet<>();
        payloads(eventId, "ReservationExpired").forEach(expired -> orders.add(expired.path("orderId").asText()));
        return orders;
    }

    private static int expiredInStoreTickets(String eventId) throws Exception {
        int expired = 0;
        for (JsonNode event : payloads(eventId, "ReservationExpired")) {
            for (JsonNode line : event.path("lines")) {
                expired += line.path("quantity").asInt();
            }
        }
        return expired;
    }

    private static int ordersInReadModel(String eventId) throws Exception {
        try (Connection db = cluster.database();
             var query = db.prepareStatement("SELECT count(*) FROM order_view WHERE event_id = ?::uuid")) {
            query.setString(1, eventId);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    private static List<JsonNode> payloads(String eventId, String type) throws Exception {
        var json = new ObjectMapper();
        try (Connection db = cluster.database();
             var query = db.prepareStatement("SELECT convert_from(payload, 'UTF8') FROM DomainEventEntry "
                     + "WHERE aggregateIdentifier = ? AND payloadType LIKE ?")) {
            query.setString(1, eventId);
            query.setString(2, "%." + type);
            List<JsonNode> payloads = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    payloads.add(json.readTree(rows.getString(1)));
                }
            }
            return payloads;
        }
    }
}
