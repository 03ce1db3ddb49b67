package dev.ticketing.command.reservation;

import dev.ticketing.api.EventId;
import dev.ticketing.api.inventory.ReserveTickets;
import dev.ticketing.api.inventory.ReserveTicketsBatch;
import dev.ticketing.api.inventory.TicketsReserved;
import dev.ticketing.api.rejection.Rejection;
import dev.ticketing.command.inventory.InventoryCommands;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Group commit for reservations. Requests for one event queue up; one drainer at a time sends
 * what has queued as a single {@link ReserveTicketsBatch}: one unit of work, one transaction, one
 * commit for all of them, while each caller still gets its own answer. Nothing waits to fill a
 * batch: a lone request goes at once, and under load a batch is what arrived during the last commit.
 * <p>
 * Also why a hot event cannot drain the connection pool: a request waits here, holding no
 * connection, instead of inside a transaction for the aggregate's lock.
 */
@Component
public class ReservationBatcher {

    private static final Logger log = LoggerFactory.getLogger(ReservationBatcher.class);

    private record Pending(ReserveTickets command, Map<String, String> metaData,
                           CompletableFuture<TicketsReserved> answer) {
    }

    /** An event's queue; {@code draining} while a drainer owns it. */
    private static final class EventQueue {
        final Queue<Pending> pending = new ConcurrentLinkedQueue<>();
        final AtomicBoolean draining = new AtomicBoolean();
    }

    private final InventoryCommands commands;
    private final int maxBatch;
    private final Map<EventId, EventQueue> queues = new ConcurrentHashMap<>();
    private final ExecutorService drainers;
    private final DistributionSummary batchSizes;

    public ReservationBatcher(InventoryCommands commands, MeterRegistry meters,
                              @Value("${ticketing.reservation.max-batch:256}") int maxBatch,
                              @Value("${ticketing.reservation.drainers:4}") int drainers) {
        this.commands = commands;
        this.maxBatch = maxBatch;
        AtomicInteger threads = new AtomicInteger();
        this.drainers = Executors.newFixedThreadPool(drainers, runnable -> {
            Thread thread = new Thread(runnable, "reservation-batch-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.batchSizes = DistributionSummary.builder("ticketing.reservation.batch.size")
                .description("Reservations decided and committed together").register(meters);
    }

    /** Reserves as {@link InventoryCommands#send} would, in a batch with whatever else is waiting. */
    public TicketsReserved reserve(ReserveTickets command, Map<String, String> metaData) {
        var pending = new Pending(command, metaData, new CompletableFuture<>());
        EventQueue queue = queues.computeIfAbsent(command.eventId(), id -> new EventQueue());
        queue.pending.add(pending);
        scheduleDrain(queue);
        try {
            return pending.answer.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private void scheduleDrain(EventQueue queue) {
        if (!queue.pending.isEmpty() && queue.draining.compareAndSet(false, true)) {
            drainers.execute(() -> drain(queue));
        }
    }

    /** One batch, then back to the pool, so other events' queues get their turn. */
    private void drain(EventQueue queue) {
        try {
            List<Pending> batch = new ArrayList<>();
            for (Pending next; batch.size() < maxBatch && (next = queue.pending.poll()) != null; ) {
                batch.add(next);
            }
            if (!batch.isEmpty()) {
                try {
                    send(batch);
                } catch (Throwable fatal) {
                    // an Error (OutOfMemoryError while snapshotting a huge inventory, say): the callers
                    // get an error instead of waiting for an answer that would never come
                    batch.forEach(p -> p.answer().completeExceptionally(fatal));
                    throw fatal;
                }
            }
        } finally {
            queue.draining.set(false);
            scheduleDrain(queue);
        }
    }

    private void send(List<Pending> batch) {
        EventId eventId = batch.get(0).command().eventId();
        batchSizes.record(batch.size());
        List<ReserveTicketsBatch.Item> items = batch.stream()
                .map(p -> new ReserveTicketsBatch.Item(p.command(), p.metaData())).toList();
        List<?> answers;
        try {
            answers = commands.send(eventId, new ReserveTicketsBatch(eventId, items), "system");
        } catch (RuntimeException failed) {
            if (batch.size() > 1 && !(failed instanceof Rejection)) {
                // one item's failure (say, a reused Idempotency-Key in the directory) must not fail
                // the others: each goes again on its own
                log.warn("A batch of {} reservations failed ({}); sending them one by one", batch.size(),
                        failed.toString());
                batch.forEach(p -> send(List.of(p)));
            } else {
                batch.forEach(p -> p.answer().completeExceptionally(failed));
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            Object answer = answers.get(i);
            if (answer instanceof TicketsReserved reserved) {
                batch.get(i).answer().complete(reserved);
            } else {
                batch.get(i).answer().completeExceptionally((Throwable) answer);
            }
        }
    }

    @PreDestroy
    void stop() {
        drainers.shutdown();
    }
}
