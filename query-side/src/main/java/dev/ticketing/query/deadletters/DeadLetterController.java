package dev.ticketing.query.deadletters;

import dev.ticketing.api.rejection.Rejection;
import dev.ticketing.platform.openapi.ApiTags;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.messaging.deadletter.Cause;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.SequencedDeadLetterProcessor;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The projections' dead letters, for auditors (SecurityConfig): an event a projection could not
 * handle waits here with the rest of its sequence (its aggregate) while everything else goes on,
 * until it is retried — typically after the cause was mended.
 */
@RestController
@Tag(name = ApiTags.AUDIT)
public class DeadLetterController {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterController.class);
    static final List<String> PROJECTIONS = List.of("availability", "orders", "ledger");

    public record DeadLetterView(String processingGroup, String eventIdentifier, String eventType, String aggregateId,
                                 Long sequenceNumber, String causeType, String causeMessage, Instant enqueuedAt,
                                 Instant lastTouched) {
    }

    public record RetryResult(String processingGroup, int sequencesProcessed, long sequencesLeft) {
    }

    private final EventProcessingConfiguration processing;

    public DeadLetterController(EventProcessingConfiguration processing) {
        this.processing = processing;
    }

    @Operation(operationId = "listDeadLetters", summary = "The projections' dead letters",
            description = "Every event a projection (`availability`, `orders`, `ledger`) could not handle, waiting "
                    + "with the rest of its aggregate's sequence, and why.")
    @ApiResponse(responseCode = "200", description = "The dead letters")
    @GetMapping("/api/v1/audit/dead-letters")
    public List<DeadLetterView> deadLetters() {
        List<DeadLetterView> views = new ArrayList<>();
        for (String group : PROJECTIONS) {
            for (Iterable<DeadLetter<? extends EventMessage<?>>> sequence : queue(group).deadLetters()) {
                sequence.forEach(letter -> views.add(view(group, letter)));
            }
        }
        return views;
    }

    /** Retries every dead-lettered sequence of one projection once; what fails again stays. */
    @Operation(operationId = "retryDeadLetters", summary = "Retry a projection's dead letters",
            description = "Retries every dead-lettered sequence of the projection once; what fails again stays.")
    @ApiResponse(responseCode = "200", description = "How many sequences were processed and how many are left")
    @ApiResponse(responseCode = "404", description = "PROJECTION_NOT_FOUND: not a projection's name")
    @PostMapping("/api/v1/audit/dead-letters/{processingGroup}/retry")
    public RetryResult retry(@PathVariable String processingGroup) {
        SequencedDeadLetterQueue<EventMessage<?>> queue = queue(processingGroup);
        SequencedDeadLetterProcessor<EventMessage<?>> processor = processing
                .sequencedDeadLetterProcessor(processingGroup).orElseThrow(() -> new UnknownProjection(processingGroup));
        long sequences = queue.amountOfSequences();
        int processed = 0;
        for (long i = 0; i < sequences; i++) {
            if (processor.processAny()) {
                processed++;
            }
        }
        log.info("Retried the dead letters of {}: {} of {} sequence(s) processed", processingGroup, processed, sequences);
        return new RetryResult(processingGroup, processed, queue.amountOfSequences());
    }

    private SequencedDeadLetterQueue<EventMessage<?>> queue(String processingGroup) {
        if (!PROJECTIONS.contains(processingGroup)) {
            throw new UnknownProjection(processingGroup);
        }
        return processing.deadLetterQueue(processingGroup).orElseThrow(() -> new UnknownProjection(processingGroup));
    }

    private static DeadLetterView view(String group, DeadLetter<? extends EventMessage<?>> letter) {
        EventMessage<?> event = letter.message();
        String aggregateId = event instanceof DomainEventMessage<?> domain ? domain.getAggregateIdentifier() : null;
        Long sequenceNumber = event instanceof DomainEventMessage<?> domain ? domain.getSequenceNumber() : null;
        Cause cause = letter.cause().orElse(null);
        return new DeadLetterView(group, event.getIdentifier(), event.getPayloadType().getName(), aggregateId,
                sequenceNumber, cause == null ? null : cause.type(), cause == null ? null : cause.message(),
                letter.enqueuedAt(), letter.lastTouched());
    }

    static class UnknownProjection extends Rejection {
        UnknownProjection(String name) {
            super("PROJECTION_NOT_FOUND", 404, "No projection " + name + "; there are " + PROJECTIONS,
                    Map.of("projections", PROJECTIONS));
        }
    }
}
