package dev.ticketing.standalone;

import dev.ticketing.query.availability.AvailabilityStreams;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Heartbeats on availability streams, every 200 ms here (15 s by default). A class of its own:
 * the different setting starts an application of its own.
 */
@TestPropertySource(properties = "ticketing.availability.heartbeat=PT0.2S")
class AvailabilityStreamHeartbeatTest extends StandaloneOnPostgres {

    @Autowired
    AvailabilityStreams streams;

    @Test
    void aQuietStreamGetsHeartbeatsAndNoEvents() {
        String eventId = newEvent();
        try (AvailabilityWatcher watcher = AvailabilityWatcher.watch(port, eventId)) {
            assertThat(watcher.nextBody().path("eventId").asText()).isEqualTo(eventId);
            await().atMost(Duration.ofSeconds(5)).until(() -> watcher.heartbeats() >= 5);
            watcher.assertNothingWithin(Duration.ofMillis(300));
        }
    }

    @Test
    void aWatcherThatHangsUpOnAQuietEventIsForgottenAtTheNextHeartbeats() {
        String eventId = newEvent();
        UUID id = UUID.fromString(eventId);
        try (AvailabilityWatcher staying = AvailabilityWatcher.watch(port, eventId)) {
            AvailabilityWatcher leaving = AvailabilityWatcher.watch(port, eventId);
            staying.nextBody();
            leaving.nextBody();
            assertThat(streams.watching(id)).isEqualTo(2);

            leaving.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> streams.watching(id) == 1);
            int heartbeats = staying.heartbeats();
            await().atMost(Duration.ofSeconds(5)).until(() -> staying.heartbeats() > heartbeats);
        }
    }

    private String newEvent() {
        return createEvent(null, false, "General", 2500, 10).path("eventId").asText();
    }
}
