package dev.ticketing.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticketing.platform.testing.ApiClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 64 real HTTP clients, each a different buyer, race for the last tickets of a two-tier event
 * whose maxAttendees (40) is below the sum of its tiers (15 + 40), 20 rounds. Every round
 * exactly 40 are held, no tier goes over, and every loser gets 409 with a capacity code.
 */
class OversellRaceTest extends StandaloneOnPostgres {

    private static final Logger log = LoggerFactory.getLogger(OversellRaceTest.class);
    private static final int CLIENTS = 64;
    private static final int ROUNDS = 20;
    private static final int MAX_ATTENDEES = 40;
    private static final int SMALL_TIER = 15;
    private static final int LARGE_TIER = 40;
    private static ExecutorService clients;

    @BeforeAll
    static void startClients() {
        clients = Executors.newFixedThreadPool(CLIENTS);
    }

    @AfterAll
    static void stopClients() {
        clients.shutdownNow();
    }

    @Test
    void parallelBuyersNeverOversellSharedCapacity() throws Exception {
        int totalLosers = 0;
        long slowest = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            JsonNode event = createEvent(MAX_ATTENDEES, false, "Front", 5000, SMALL_TIER, "Back", 2000, LARGE_TIER);
            String eventId = event.path("eventId").asText();
            String small = tierId(event, 0);
            String large = tierId(event, 1);

            CountDownLatch start = new CountDownLatch(1);
            List<Future<ApiClient.Response>> results = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                String tier = i % 2 == 0 ? small : large;
                String token = buyer();
                results.add(clients.submit(() -> {
                    start.await();
                    return api.post("/api/v1/events/" + eventId + "/orders", token, selections(tier, 1));
                }));
            }
            long began = System.nanoTime();
            start.countDown();

            int held = 0;
            int heldSmall = 0;
            int losers = 0;
            for (int i = 0; i < CLIENTS; i++) {
                ApiClient.Response response = results.get(i).get();
                if (response.status() == 201) {
                    held++;
                    if (i % 2 == 0) {
                        heldSmall++;
                    }
                } else {
                    losers++;
                    assertThat(response.status()).as(response.toString()).isEqualTo(409);
                    assertThat(response.code()).isIn("TIER_SOLD_OUT", "EVENT_AT_CAPACITY");
                }
            }
            slowest = Math.max(slowest, (System.nanoTime() - began) / 1_000_000);
            assertThat(held).as("round %d held", round).isEqualTo(MAX_ATTENDEES);
            assertThat(heldSmall).as("round %d small tier", round).isLessThanOrEqualTo(SMALL_TIER);
            assertThat(losers).isEqualTo(CLIENTS - MAX_ATTENDEES);
            totalLosers += losers;

            // the event store and the read model agree with what the clients were told
            int reservedInStore = jdbc.queryForObject("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ? "
                    + "AND payloadtype = 'dev.ticketing.api.inventory.TicketsReserved'", Integer.class, eventId);
            assertThat(reservedInStore).isEqualTo(MAX_ATTENDEES);
            JsonNode availability = awaitAvailability(eventId, MAX_ATTENDEES, 0);
            assertThat(availability.path("available").asInt()).isZero();
            assertThat(availability.path("tiers").get(0).path("reserved").asInt()).isEqualTo(heldSmall)
                    .isLessThanOrEqualTo(SMALL_TIER);
            assertThat(availability.path("tiers").get(1).path("reserved").asInt()).isEqualTo(MAX_ATTENDEES - heldSmall);
        }
        log.info("{} rounds of {} clients: {} held per round, {} refused in all, slowest round {} ms",
                ROUNDS, CLIENTS, MAX_ATTENDEES, totalLosers, slowest);
    }
}
