package dev.ticketing.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticketing.platform.testing.ApiClient;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays of a history with expired holds (3 s holds), beside reservations again after an expiry
 * and a cancellation. An application of its own, as in ReplayTest: the comparisons cover the whole
 * ledger and list of events, and ReservationExpiryTest, which shares these settings, leaves holds
 * behind that expire later.
 */
@TestPropertySource(properties = "ticketing.reservation.timeout=PT3S")
@DirtiesContext(classMode = DirtiesContext.ClassMode.BEFORE_CLASS)
class ReplayWithExpiriesTest extends ReplaySupport {

    @Test
    void replaysOfAHistoryWithExpiriesGiveTheSameReadModels() {
        JsonNode event = createEvent(10, false, "General", 2500, 8, "VIP", 9000, 4);
        String eventId = event.path("eventId").asText();
        String alice = buyer();
        String bob = buyer();
        String carol = buyer();
        String aliceFirst = reserved(reserve(alice, eventId, tierId(event, 0), 3, tierId(event, 1), 1));
        String bobFirst = reserved(reserve(bob, eventId, tierId(event, 1), 2));
        String carolFirst = reserved(reserve(carol, eventId, tierId(event, 0), 2));
        assertThat(api.post("/api/v1/orders/" + carolFirst + "/cancel", carol, Map.of()).status()).isEqualTo(200);
        awaitOrder(aliceFirst, alice, "EXPIRED");
        awaitOrder(bobFirst, bob, "EXPIRED");
        // after an expiry the buyer may hold again, and that hold expires too
        String aliceAgain = reserved(reserve(alice, eventId, tierId(event, 1), 4));
        awaitOrder(aliceAgain, alice, "EXPIRED");
        List<String> orders = List.of(aliceFirst, bobFirst, carolFirst, aliceAgain);
        awaitAvailability(eventId, 0, 0);
        awaitSettled(Duration.ofSeconds(30));
        ReadModels before = readModels(List.of(eventId), orders);

        for (String projection : PROJECTIONS) {
            ReplayRun run = awaitReplayDone(startReplay(projection), Duration.ofSeconds(60));
            assertThat(run.result().path("totalEvents").asLong()).isEqualTo(head());
        }

        awaitSettled(Duration.ofSeconds(30));
        assertSameReadModels(readModels(List.of(eventId), orders), before);
    }

    private static String reserved(ApiClient.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.body().path("orderId").asText();
    }
}
