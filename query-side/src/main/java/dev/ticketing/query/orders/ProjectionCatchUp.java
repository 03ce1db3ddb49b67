package dev.ticketing.query.orders;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Map;

/**
 * Read-your-writes for a projection that is fed asynchronously: waits, within a bound, until the
 * processor has handled every event that was in the store when the read began. A buyer who got
 * a 201 and reads at once therefore finds the order, on any query node.
 */
@Component
public class ProjectionCatchUp {

    private final EventProcessingConfiguration processing;
    private final EventStore eventStore;

    public ProjectionCatchUp(EventProcessingConfiguration processing, EventStore eventStore) {
        this.processing = processing;
        this.eventStore = eventStore;
    }

    /** @return whether the projection caught up before {@code max} ran out */
    public boolean await(String processingGroup, Duration max) {
        TrackingToken head = eventStore.createHeadToken();
        long target = head == null ? -1 : head.position().orElse(-1);
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            if (caughtUp(processingGroup, target)) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private boolean caughtUp(String processingGroup, long target) {
        var processor = processing.eventProcessor(processingGroup, StreamingEventProcessor.class);
        if (processor.isEmpty()) {
            return false;
        }
        Map<Integer, EventTrackerStatus> segments = processor.get().processingStatus();
        return !segments.isEmpty() && segments.values().stream()
                .allMatch(status -> status.getCurrentPosition().orElse(-1) >= target);
    }
}
