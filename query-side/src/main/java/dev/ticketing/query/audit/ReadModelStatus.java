package dev.ticketing.query.audit;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.stereotype.Component;

/** Whether a projection's read model is being rebuilt, so that its reads would show it half-built. */
@Component
public class ReadModelStatus {

    private final ProjectionReplays replays;
    private final EventProcessingConfiguration processing;

    public ReadModelStatus(ProjectionReplays replays, EventProcessingConfiguration processing) {
        this.replays = replays;
        this.processing = processing;
    }

    /**
     * From the moment a replay is asked for until it is done; and whenever Axon says the processor
     * replays, which covers a replay resumed after a restart (its ReplayTokens are in the token store).
     */
    public boolean isRebuilding(String projection) {
        return replays.isRunning(projection) || processing.eventProcessor(projection, StreamingEventProcessor.class)
                .map(StreamingEventProcessor::isReplaying).orElse(false);
    }
}
