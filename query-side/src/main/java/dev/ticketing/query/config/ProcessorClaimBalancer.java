package dev.ticketing.query.config;

import jakarta.annotation.PreDestroy;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Shares the projections among the query nodes through Axon's token claims. A processor's segment
 * goes to the first node that claims it, so the first node up takes them all; every few seconds a
 * node holding more than its share (all segments / live query nodes, rounded up) releases one,
 * which an idle node then claims. Live nodes are counted from PostgreSQL's own sessions: each node
 * names its connections {@code "<group> <node>"} (application_name), and a node that dies loses
 * them at once. Its claims stay until they time out ({@code ticketing.processing.claim-timeout});
 * then the other nodes take them over and catch up from its last committed token.
 */
@Component
@ConditionalOnProperty(name = "ticketing.processing.balance.enabled", havingValue = "true")
class ProcessorClaimBalancer {

    private static final Logger log = LoggerFactory.getLogger(ProcessorClaimBalancer.class);

    private final EventProcessingConfiguration processing;
    private final JdbcTemplate jdbc;
    private final TokenStore tokens;
    private final String group;
    private final Duration every;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "processor-claim-balancer");
        thread.setDaemon(true);
        return thread;
    });

    ProcessorClaimBalancer(EventProcessingConfiguration processing, JdbcTemplate jdbc, TokenStore tokens,
                           @Value("${ticketing.processing.balance.group}") String group,
                           @Value("${ticketing.processing.balance.every:PT5S}") Duration every) {
        this.processing = processing;
        this.jdbc = jdbc;
        this.tokens = tokens;
        this.group = group;
        this.every = every;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        timer.scheduleWithFixedDelay(this::balanceLogged, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void balanceLogged() {
        try {
            balance();
        } catch (RuntimeException e) {
            log.warn("Could not balance the processors' claims this time: {}", e.toString());
        }
    }

    /** Releases one segment when this node holds more than its share. */
    void balance() {
        Integer nodes = jdbc.queryForObject("SELECT count(DISTINCT application_name) FROM pg_stat_activity "
                + "WHERE datname = current_database() AND application_name LIKE ?", Integer.class, group + " %");
        List<StreamingEventProcessor> processors = processing.eventProcessors().values().stream()
                .filter(StreamingEventProcessor.class::isInstance).map(StreamingEventProcessor.class::cast).toList();
        int segments = 0;
        int mine = 0;
        for (StreamingEventProcessor processor : processors) {
            segments += tokens.fetchSegments(processor.getName()).length;
            mine += processor.processingStatus().size();
        }
        int share = (segments + Math.max(1, nodes) - 1) / Math.max(1, nodes);
        if (mine <= share) {
            return;
        }
        for (StreamingEventProcessor processor : processors) {
            for (Integer segment : processor.processingStatus().keySet()) {
                log.info("Holding {} of {} segments with {} query nodes up: releasing {} segment {} to another node",
                        mine, segments, nodes, processor.getName(), segment);
                // not claimed back by this node for a while, so that an idle node gets it
                processor.releaseSegment(segment, 6 * every.toMillis(), TimeUnit.MILLISECONDS);
                return;
            }
        }
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }
}
