package dev.ticketing.query.audit;

import dev.ticketing.platform.openapi.ApiTags;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
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
@Tag(name = ApiTags.AUDIT)
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

    @Operation(operationId = "startReplay", summary = "Rebuild a read model",
            description = "Rebuilds the named projection (`availability`, `orders` or `ledger`) from the first "
                    + "event; its reads answer 503 READ_MODEL_REBUILDING until it is done.")
    @ApiResponse(responseCode = "202", description = "Accepted: the replay's id",
            headers = @Header(name = "Location", description = "The replay's path", schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "400", description = "VALIDATION_FAILED: not a projection's name")
    @ApiResponse(responseCode = "409", description = "REPLAY_RUNNING: that projection is being replayed already "
            + "(`replayId`)")
    @PostMapping("/api/v1/audit/replays")
    public ResponseEntity<ReplayStarted> start(@RequestBody StartReplay request) {
        Replay replay = replays.start(request.projection());
        return ResponseEntity.accepted().location(URI.create("/api/v1/audit/replays/" + replay.id()))
                .body(new ReplayStarted(replay.id()));
    }

    @Operation(operationId = "getReplay", summary = "A replay's progress",
            description = "RUNNING, DONE or FAILED, with the events processed of the total; once DONE the read "
                    + "model equals the one before the replay.")
    @ApiResponse(responseCode = "200", description = "The replay")
    @ApiResponse(responseCode = "404", description = "REPLAY_NOT_FOUND")
    @GetMapping("/api/v1/audit/replays/{replayId}")
    public ReplayView replay(@PathVariable UUID replayId) {
        Replay replay = replays.find(replayId).orElseThrow(() -> new ReplayNotFound(replayId.toString()));
        return new ReplayView(replay.id(), replay.projection(), replay.status(), replay.processedEvents(),
                replay.totalEvents(), replay.startedAt(), replay.finishedAt());
    }
}
