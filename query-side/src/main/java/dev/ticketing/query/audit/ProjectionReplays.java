package dev.ticketing.query.audit;

import dev.ticketing.api.rejection.InvalidRequest;
import dev.ticketing.query.availability.AvailabilityProjection;
import dev.ticketing.query.ledger.LedgerProjection;
import dev.ticketing.query.orders.OrderProjection;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rebuilds a projection from the first event: its streaming processor (pooled or tracking) is
 * stopped, its tokens reset (the projection's {@code @ResetHandler} empties its tables in the same
 * transaction), its dead letters dropped, and it is started again; a thread of the replay's own
 * then follows the processor until it has passed the event store's head as it was at the start.
 * <p>
 * Replays are kept in memory, not in a table. The rebuild itself is durable without one: Axon keeps
 * the reset tokens (ReplayTokens) in its token store, so a restarted node goes on rebuilding, and
 * {@link ReadModelStatus} still sees it through the processor. A table would add an id that outlives
 * the process and a status other nodes can read, but the progress can only be read on the node that
 * runs the processor anyway, and RUNNING rows left by a dead node would need cleaning up.
 */
@Component
public class ProjectionReplays {

    static final List<String> PROJECTIONS = List.of(AvailabilityProjection.PROCESSING_GROUP,
            LedgerProjection.PROCESSING_GROUP, OrderProjection.PROCESSING_GROUP);

    private static final Logger log = LoggerFactory.getLogger(ProjectionReplays.class);
    private static final Duration POLL_EVERY = Duration.ofMillis(50);
    private static final Duration LOG_EVERY = Duration.ofSeconds(3);

    private final EventProcessingConfiguration processing;
    private final EventStore eventStore;
    private final TokenStore tokenStore;
    private final Map<UUID, Replay> replays = new ConcurrentHashMap<>();

    public ProjectionReplays(EventProcessingConfiguration processing, EventStore eventStore, TokenStore tokenStore) {
        this.processing = processing;
        this.eventStore = eventStore;
        this.tokenStore = tokenStore;
    }

    /**
     * Registers the replay before anything is reset, so reads of the projection are refused from
     * the moment the caller is told it started. Synchronized: one replay per projection at a time.
     */
    public synchronized Replay start(String projection) {
        if (projection == null || !PROJECTIONS.contains(projection)) {
            throw new InvalidRequest("projection", "must be one of " + String.join(", ", PROJECTIONS));
        }
        Optional<Replay> running = runningReplayOf(projection);
        if (running.isPresent()) {
            throw new ReplayRunning(running.get());
        }
        StreamingEventProcessor processor = processor(projection);
        Replay replay = new Replay(UUID.randomUUID(), projection, headIndex(), Instant.now());
        replays.put(replay.id(), replay);
        Thread thread = new Thread(() -> run(replay, processor), "replay-" + projection);
        thread.setDaemon(true);
        thread.start();
        return replay;
    }

    public Optional<Replay> find(UUID replayId) {
        return Optional.ofNullable(replays.get(replayId));
    }

    public boolean isRunning(String projection) {
        return runningReplayOf(projection).isPresent();
    }

    private Optional<Replay> runningReplayOf(String projection) {
        return replays.values().stream().filter(r -> r.projection().equals(projection) && r.isRunning()).findFirst();
    }

    private void run(Replay replay, StreamingEventProcessor processor) {
        try {
            log.info("Replay {} of {}: rebuilding from the first event, {} events to the head", replay.id(),
                    replay.projection(), replay.totalEvents());
            restartFromTheFirstEvent(replay.projection(), processor);
            awaitRebuilt(replay, processor);
            replay.done();
            double seconds = Math.max(Duration.between(replay.startedAt(), replay.finishedAt()).toMillis(), 1) / 1000.0;
            log.info("Replay {} of {}: done, {} events in {} s = {} events/s", replay.id(), replay.projection(),
                    replay.totalEvents(), String.format("%.1f", seconds), Math.round(replay.totalEvents() / seconds));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            replay.failed();
        } catch (RuntimeException e) {
            log.error("Replay {} of {} failed", replay.id(), replay.projection(), e);
            replay.failed();
        }
    }

    private void restartFromTheFirstEvent(String projection, StreamingEventProcessor processor) {
        processor.shutDown();
        try {
            processor.resetTokens();
            // The rebuild meets every event again, and a poison one is dead-lettered again. The old
            // letters would be handled a second time on a retry, and a letter makes every later event
            // of its sequence a letter too: the queue must start empty, like the tables.
            processing.deadLetterQueue(projection).ifPresent(SequencedDeadLetterQueue::clear);
        } finally {
            processor.start();   // also after a failed reset: the projection then goes on where it was
        }
    }

    /**
     * Until every segment is claimed here and has passed the head taken at the start, and Axon no
     * longer calls it a replay (its ReplayTokens have ended, or it caught up with the store).
     */
    private void awaitRebuilt(Replay replay, StreamingEventProcessor processor) throws InterruptedException {
        long nextLog = System.nanoTime() + LOG_EVERY.toNanos();
        while (true) {
            Map<Integer, EventTrackerStatus> segments = processor.processingStatus();
            // until every segment is claimed here, the slowest one may be missing from the status
            boolean allClaimed = segments.size() == tokenStore.fetchSegments(processor.getName()).length;
            long position = position(segments.values());
            if (allClaimed && position >= replay.totalEvents() && !processor.isReplaying()) {
                return;
            }
            if (!processor.isRunning()) {
                throw new IllegalStateException("The " + replay.projection() + " processor stopped before the replay ended");
            }
            if (allClaimed) {
                replay.progress(Math.min(position, replay.totalEvents()));
            }
            if (System.nanoTime() >= nextLog) {
                long seconds = Math.max(Duration.between(replay.startedAt(), Instant.now()).toSeconds(), 1);
                log.info("Replay {} of {}: {}/{} events, {} events/s", replay.id(), replay.projection(),
                        replay.processedEvents(), replay.totalEvents(), replay.processedEvents() / seconds);
                nextLog += LOG_EVERY.toNanos();
            }
            Thread.sleep(POLL_EVERY.toMillis());
        }
    }

    /** How far the slowest segment got, as a global index (0 before the first event). */
    private static long position(Collection<EventTrackerStatus> segments) {
        return segments.stream().mapToLong(s -> s.getCurrentPosition().orElse(0)).min().orElse(0);
    }

    private long headIndex() {
        TrackingToken head = eventStore.createHeadToken();
        return head == null ? 0 : head.position().orElse(0);
    }

    private StreamingEventProcessor processor(String projection) {
        return processing.eventProcessor(projection, StreamingEventProcessor.class).orElseThrow(() ->
                new IllegalStateException("No streaming processor " + projection));
    }
}
