package dev.ticketing.query.availability;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An event's anonymous availability: read in one repeatable-read snapshot of its rows, and kept in
 * memory for the public reads, because during an on-sale buyers and dashboards read far more often
 * than the counts change. The projection drops an event's entry when its change commits, on this
 * node at once and on the others through {@link AvailabilityChanges}; an entry also expires after
 * {@code ticketing.availability.cache-max-age}, which bounds the lag should that feed be down.
 */
@Component
public class AvailabilityReads {

    private record Entry(AvailabilityView view, long readAtNanos) {
    }

    private final EventAvailabilityRepository events;
    private final TierAvailabilityRepository tiers;
    private final TransactionTemplate snapshot;
    private final long maxAgeNanos;
    private final Map<UUID, Entry> cached = new ConcurrentHashMap<>();
    /** Bumped by every committed change: a read that began before it must not be kept. */
    private final Map<UUID, AtomicLong> changes = new ConcurrentHashMap<>();

    AvailabilityReads(EventAvailabilityRepository events, TierAvailabilityRepository tiers,
                      PlatformTransactionManager transactions,
                      @Value("${ticketing.availability.cache-max-age:PT1S}") Duration maxAge) {
        this.events = events;
        this.tiers = tiers;
        this.snapshot = new TransactionTemplate(transactions);
        this.snapshot.setReadOnly(true);
        // one snapshot for the event row and its tier rows: under read-committed a commit between
        // the two reads gave a view with old event counts and new tier counts
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.maxAgeNanos = maxAge.toNanos();
    }

    /** Read now from the read model (what the live streams push). */
    Optional<AvailabilityView> fresh(UUID eventId) {
        return snapshot.execute(tx -> events.findById(eventId)
                .map(event -> AvailabilityView.of(event, tiers.findByEventIdOrderByPosition(eventId), null)));
    }

    /** As fresh as the last committed change this node has seen, and never older than the max age. */
    Optional<AvailabilityView> current(UUID eventId) {
        long now = System.nanoTime();
        Entry entry = cached.get(eventId);
        if (entry != null && now - entry.readAtNanos() < maxAgeNanos) {
            return Optional.of(entry.view());
        }
        AtomicLong changeCount = changes.computeIfAbsent(eventId, id -> new AtomicLong());
        long before = changeCount.get();
        Optional<AvailabilityView> view = fresh(eventId);
        view.ifPresent(read -> {
            if (changeCount.get() == before) {
                cached.put(eventId, new Entry(read, now));
            }
        });
        return view;
    }

    /** The projection changed the event: once that commits, the next read goes to the database. */
    void changed(UUID eventId) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    forget(eventId);
                }
            });
        } else {
            forget(eventId);
        }
    }

    /** Another node's projection changed the event (its commit is what told us): read it afresh. */
    void changedOnAnotherNode(UUID eventId) {
        forget(eventId);
    }

    /** The read model is being rebuilt: nothing kept is trusted. */
    void clear() {
        changes.values().forEach(AtomicLong::incrementAndGet);
        cached.clear();
    }

    private void forget(UUID eventId) {
        changes.computeIfAbsent(eventId, id -> new AtomicLong()).incrementAndGet();
        cached.remove(eventId);
    }
}
