package dev.ticketing.query.audit;

import java.time.Instant;
import java.util.UUID;

/**
 * One rebuild of a projection from the first event. Written only by the thread that runs it,
 * read by any request: the changing fields are volatile.
 */
public final class Replay {

    public enum Status { RUNNING, DONE, FAILED }

    private final UUID id;
    private final String projection;
    private final long totalEvents;
    private final Instant startedAt;
    private volatile Status status = Status.RUNNING;
    private volatile long processedEvents;
    private volatile Instant finishedAt;

    Replay(UUID id, String projection, long totalEvents, Instant startedAt) {
        this.id = id;
        this.projection = projection;
        this.totalEvents = totalEvents;
        this.startedAt = startedAt;
    }

    /** Never back: a segment claimed again starts from its last stored token, behind what it had shown. */
    void progress(long processedEvents) {
        this.processedEvents = Math.max(this.processedEvents, processedEvents);
    }

    void done() {
        processedEvents = totalEvents;
        finish(Status.DONE);
    }

    void failed() {
        finish(Status.FAILED);
    }

    private void finish(Status outcome) {
        finishedAt = Instant.now();
        status = outcome;   // last: whoever sees the outcome also sees the numbers
    }

    public UUID id() {
        return id;
    }

    public String projection() {
        return projection;
    }

    /** The event store's head (global index) when the replay started: what "rebuilt" means. */
    public long totalEvents() {
        return totalEvents;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Status status() {
        return status;
    }

    public long processedEvents() {
        return processedEvents;
    }

    public Instant finishedAt() {
        return finishedAt;
    }

    public boolean isRunning() {
        return status == Status.RUNNING;
    }
}
