package dev.ticketing.query.audit;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.time.Instant;
import java.util.UUID;

/** Rebuilding a read model from the event store, for auditors (checked in SecurityConfig). */
@RestController
public class ReplayController {

    public record StartReplay(String projection) {
    }

    public record ReplayStarted(UUID replayId) {
    }

    /** {@code processedEvents} and {@code totalEvents} are global indexes of the event store. */
    public record ReplayView(UUID replayId, String projection, Replay.Status status, long processedEvents,
                             long totalEvents, Instant startedAt, Instant finishedAt) {
    }

    private final ProjectionReplays replays;

    public ReplayController(ProjectionReplays replays) {
        this.replays = replays;
    }

    @PostMapping("/api/v1/audit/replays")
    public ResponseEntity<ReplayStarted> start(@RequestBody StartReplay request) {
        Replay replay = replays.start(request.projection());
        return ResponseEntity.accepted().location(URI.create("/api/v1/audit/replays/" + replay.id()))
                .body(new ReplayStarted(replay.id()));
    }

    @GetMapping("/api/v1/audit/replays/{replayId}")
    public ReplayView replay(@PathVariable UUID replayId) {
        Replay replay = replays.find(replayId).orElseThrow(() -> new ReplayNotFound(replayId.toString()));
        return new ReplayView(replay.id(), replay.projection(), replay.status(), replay.processedEvents(),
                replay.totalEvents(), replay.startedAt(), replay.finishedAt());
    }
}
