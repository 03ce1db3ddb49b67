package dev.ticketing.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticketing.platform.testing.ApiClient;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What the replay tests share: waiting for a settled history, reading the read models, replaying one. */
abstract class ReplaySupport extends StandaloneOnPostgres {

    static final List<String> PROJECTIONS = List.of("availability", "orders", "ledger");

    @Autowired
    EventProcessingConfiguration processing;
    @Autowired
    EventStore eventStore;

    /**
     * Everything a client can read of the three read models, for the given events and orders. The
     * list of events is kept by id: it is ordered by start only, and events that start at the same
     * instant come in the order their rows were written, which a rebuild may change.
     */
    record ReadModels(Map<String, JsonNode> ledgerEntries, JsonNode ledgerAccounts, Map<String, JsonNode> events,
                      Map<String, JsonNode> availability, Map<String, JsonNode> orders) {
    }

    /** One replay as its status was polled: every processedEvents seen, and the final status. */
    record ReplayRun(List<Long> progress, JsonNode result) {
    }

    /**
     * Until nothing has been stored for a second and every projection has handled all that is
     * stored: the read models are then final for this history.
     */
    void awaitSettled(Duration atMost) {
        long[] previousHead = {-1};
        await().atMost(atMost).pollInterval(Duration.ofSeconds(1)).until(() -> {
            long head = head();
            boolean settled = head == previousHead[0] && PROJECTIONS.stream().allMatch(p -> caughtUp(p, head));
            previousHead[0] = head;
            return settled;
        });
    }

    long head() {
        TrackingToken head = eventStore.createHeadToken();
        return head == null ? 0 : head.position().orElse(0);
    }

    private boolean caughtUp(String projection, long head) {
        StreamingEventProcessor processor = processing.eventProcessor(projection, StreamingEventProcessor.class)
                .orElseThrow();
        Collection<EventTrackerStatus> segments = processor.processingStatus().values();
        return !segments.isEmpty() && !processor.isReplaying()
                && segments.stream().allMatch(s -> s.getCurrentPosition().orElse(-1) >= head);
    }

    /** The whole ledger, the list of events, and the given events' availability and orders, as an auditor reads them. */
    ReadModels readModels(Collection<String> eventIds, Collection<String> orderIds) {
        Map<String, JsonNode> entries = new TreeMap<>();
        for (JsonNode entry : read("/api/v1/ledger/entries")) {
            assertThat(entries.put(entry.path("entryId").asText(), entry)).as("entry ids are unique").isNull();
        }
        Map<String, JsonNode> events = new TreeMap<>();
        read("/api/v1/events").forEach(event -> events.put(event.path("eventId").asText(), event));
        Map<String, JsonNode> availability = new TreeMap<>();
        eventIds.forEach(id -> availability.put(id, read("/api/v1/events/" + id + "/availability")));
        Map<String, JsonNode> orders = new TreeMap<>();
        orderIds.forEach(id -> orders.put(id, read("/api/v1/orders/" + id)));
        return new ReadModels(entries, read("/api/v1/ledger/accounts"), events, availability, orders);
    }

    /** Field by field, per entry, event and order, so that a difference names what differs. */
    static void assertSameReadModels(ReadModels after, ReadModels before) {
        assertThat(after.ledgerEntries()).as("ledger entries").containsExactlyEntriesOf(before.ledgerEntries());
        assertThat(after.ledgerAccounts()).as("ledger accounts").isEqualTo(before.ledgerAccounts());
        assertThat(after.events()).as("events on sale").containsExactlyEntriesOf(before.events());
        assertThat(after.availability()).as("availability").containsExactlyEntriesOf(before.availability());
        assertThat(after.orders()).as("orders").containsExactlyEntriesOf(before.orders());
    }

    private JsonNode read(String path) {
        ApiClient.Response response = api.get(path, AUDITOR);
        assertThat(response.status()).as(path + " " + response).isEqualTo(200);
        return response.body();
    }

    ApiClient.Response startReplay(String projection, String token) {
        return api.post("/api/v1/audit/replays", token, Map.of("projection", projection));
    }

    String startReplay(String projection) {
        ApiClient.Response started = startReplay(projection, AUDITOR);
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        return started.body().path("replayId").asText();
    }

    /** Polls the replay until it is no longer RUNNING; checks that it ended DONE with its progress complete. */
    ReplayRun awaitReplayDone(String replayId, Duration atMost) {
        List<Long> progress = new ArrayList<>();
        JsonNode[] last = new JsonNode[1];
        await().atMost(atMost).pollInterval(Duration.ofMillis(20)).until(() -> {
            ApiClient.Response status = api.get("/api/v1/audit/replays/" + replayId, AUDITOR);
            assertThat(status.status()).as(status.toString()).isEqualTo(200);
            last[0] = status.body();
            progress.add(status.body().path("processedEvents").asLong());
            return !status.body().path("status").asText().equals("RUNNING");
        });
        JsonNode result = last[0];
        assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("DONE");
        assertThat(progress).as("processedEvents never goes back").isSorted();
        assertThat(result.path("processedEvents").asLong()).isEqualTo(result.path("totalEvents").asLong());
        assertThat(result.path("finishedAt").asText()).isNotBlank();
        return new ReplayRun(progress, result);
    }
}
