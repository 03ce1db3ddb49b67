package dev.ticketing.query.availability;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Live availability over Server-Sent Events. The projection says which events it changed; once
 * its transaction commits, each changed event's counts are read afresh, once, and sent to all
 * of its watchers. One thread does all the sending (first views, pushes, heartbeats): reads
 * happen one after another, so a watcher gets its event's states in commit order and never an
 * older one after a newer.
 */
@Component
public class AvailabilityStreams {

    private static final Logger log = LoggerFactory.getLogger(AvailabilityStreams.class);

    private final Map<UUID, Set<SseEmitter>> watchers = new ConcurrentHashMap<>();
    /** Events whose push is queued but not started: later commits are folded into it. */
    private final Set<UUID> pending = ConcurrentHashMap.newKeySet();
    /** The last state sent to all of an event's watchers; used on the sender thread only. */
    private final Map<UUID, AvailabilityView> lastPushed = new HashMap<>();
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "availability-streams");
        thread.setDaemon(true);
        return thread;
    });
    private final AvailabilityReads reads;

    AvailabilityStreams(AvailabilityReads reads, MeterRegistry meters,
                        @Value("${ticketing.availability.heartbeat:PT15S}") Duration heartbeat) {
        this.reads = reads;
        Gauge.builder("ticketing.availability.streams", this, AvailabilityStreams::openStreams)
                .description("Open availability streams (Server-Sent Events)")
                .register(meters);
        // proxies close a response that stays silent too long; a write is also how a client that left is found
        sender.scheduleAtFixedRate(this::heartbeat, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A stream of the event's availability: its counts now, then after every change. */
    SseEmitter watch(UUID eventId) {
        SseEmitter emitter = new SseEmitter(0L); // no timeout: heartbeats find the clients that went away
        emitter.onCompletion(() -> forget(eventId, emitter));
        emitter.onTimeout(() -> forget(eventId, emitter));
        emitter.onError(error -> forget(eventId, emitter));
        sender.execute(() -> join(eventId, emitter));
        return emitter;
    }

    /**
     * The projection changed the event's counts: its watchers get them once the current
     * transaction commits (a rolled back change is never shown).
     */
    void changed(UUID eventId) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    publish(eventId);
                }
            });
        } else {
            publish(eventId);
        }
    }

    /** Another node's projection changed the event and committed: this node's watchers get it too. */
    void changedOnAnotherNode(UUID eventId) {
        publish(eventId);
    }

    /** Every watched event read afresh (after changes may have been missed), sent where it is new. */
    void refreshAll() {
        watchers.keySet().forEach(this::publish);
    }

    int openStreams() {
        return watchers.values().stream().mapToInt(Set::size).sum();
    }

    /** Open streams of one event (the gauge has only the total, to keep its cardinality at one). */
    public int watching(UUID eventId) {
        return watchers.getOrDefault(eventId, Set.of()).size();
    }

    private void publish(UUID eventId) {
        if (watchers.containsKey(eventId) && pending.add(eventId)) {
            try {
                sender.execute(() -> push(eventId));
            } catch (RejectedExecutionException shuttingDown) {
                pending.remove(eventId);
            }
        }
    }

    /** On the sender thread, like every push: the first view cannot overtake a newer one, nor come twice. */
    private void join(UUID eventId, SseEmitter emitter) {
        watchers.compute(eventId, (id, watching) -> {
            Set<SseEmitter> set = watching == null ? ConcurrentHashMap.newKeySet() : watching;
            set.add(emitter);
            return set;
        });
        try {
            read(eventId).ifPresentOrElse(view -> {
                if (view.equals(lastPushed.get(eventId))) {
                    send(eventId, emitter, view);
                } else {
                    pushIfNew(eventId, view); // newer than what the others have: they get it too
                }
            }, emitter::complete);
        } catch (RuntimeException e) {
            log.warn("Could not read the availability of event {}; ending a new stream", eventId, e);
            emitter.complete(); // the client reconnects (EventSource does so by itself)
        }
    }

    private void push(UUID eventId) {
        // before the read: a commit from now on queues a push of its own
        pending.remove(eventId);
        if (!watchers.containsKey(eventId)) {
            return;
        }
        try {
            read(eventId).ifPresent(view -> pushIfNew(eventId, view));
        } catch (RuntimeException e) {
            log.warn("Could not read the availability of event {} for its watchers; trying again in a second",
                    eventId, e);
            sender.schedule(() -> publish(eventId), 1, TimeUnit.SECONDS);
        }
    }

    /** A state every watcher already has (commits folded into an earlier read) is not sent again. */
    private void pushIfNew(UUID eventId, AvailabilityView view) {
        if (!view.equals(lastPushed.put(eventId, view))) {
            watchers.getOrDefault(eventId, Set.of()).forEach(emitter -> send(eventId, emitter, view));
        }
    }

    private Optional<AvailabilityView> read(UUID eventId) {
        return reads.fresh(eventId);
    }

    private void send(UUID eventId, SseEmitter emitter, AvailabilityView view) {
        send(eventId, emitter, SseEmitter.event().name("availability").data(view, MediaType.APPLICATION_JSON));
    }

    private void heartbeat() {
        lastPushed.keySet().retainAll(watchers.keySet());
        watchers.forEach((eventId, watching) -> watching.forEach(emitter ->
                send(eventId, emitter, SseEmitter.event().comment("keep-alive"))));
    }

    private void send(UUID eventId, SseEmitter emitter, SseEmitter.SseEventBuilder event) {
        try {
            emitter.send(event);
        } catch (IOException | IllegalStateException gone) {
            // the client went away (the container completes the emitter), or the stream already ended
            forget(eventId, emitter);
        }
    }

    private void forget(UUID eventId, SseEmitter emitter) {
        watchers.computeIfPresent(eventId, (id, watching) -> {
            watching.remove(emitter);
            return watching.isEmpty() ? null : watching;
        });
    }

    /** Ending the streams first lets the web server's graceful shutdown finish at once; clients reconnect elsewhere. */
    @EventListener(ContextClosedEvent.class)
    void close() {
        sender.shutdownNow();
        watchers.values().forEach(watching -> watching.forEach(SseEmitter::complete));
        watchers.clear();
    }
}
