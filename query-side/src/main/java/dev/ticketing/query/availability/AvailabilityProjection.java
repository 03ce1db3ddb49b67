package dev.ticketing.query.availability;

import dev.ticketing.api.inventory.EventInventoryCreated;
import dev.ticketing.api.inventory.OrderConfirmed;
import dev.ticketing.api.inventory.ReservationCancelled;
import dev.ticketing.api.inventory.ReservationExpired;
import dev.ticketing.api.inventory.ReservedLine;
import dev.ticketing.api.inventory.TicketsReserved;
import dev.ticketing.api.inventory.TierAdded;
import dev.ticketing.api.inventory.TierCapacityChanged;
import dev.ticketing.api.inventory.TierSpec;
import dev.ticketing.api.payment.OrderRefunded;
import dev.ticketing.api.payment.PaymentRefused;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * Counts per event and tier, from the inventory's events. The numbers are the event store's
 * (never the clock's): a hold counts as reserved until its ReservationExpired arrives.
 */
@Component
@ProcessingGroup(AvailabilityProjection.PROCESSING_GROUP)
public class AvailabilityProjection {

    public static final String PROCESSING_GROUP = "availability";

    private final EventAvailabilityRepository events;
    private final TierAvailabilityRepository tiers;
    private final AvailabilityStreams streams;
    private final AvailabilityReads reads;
    private final AvailabilityChanges otherNodes;

    public AvailabilityProjection(EventAvailabilityRepository events, TierAvailabilityRepository tiers,
                                  AvailabilityStreams streams, AvailabilityReads reads, AvailabilityChanges otherNodes) {
        this.events = events;
        this.tiers = tiers;
        this.streams = streams;
        this.reads = reads;
        this.otherNodes = otherNodes;
    }

    @EventHandler
    void on(EventInventoryCreated created) {
        UUID eventId = created.eventId().value();
        events.save(new EventAvailability(eventId, created.name(), created.startsAt(), created.currency(),
                created.maxAttendees(), created.membersOnly()));
        int position = 0;
        for (TierSpec tier : created.tiers()) {
            tiers.save(new TierAvailability(tier.tierId().value(), eventId, position++, tier.name(), tier.priceCents(),
                    tier.capacity()));
        }
    }

    @EventHandler
    void on(TierAdded added) {
        UUID eventId = added.eventId().value();
        TierSpec tier = added.tier();
        tiers.save(new TierAvailability(tier.tierId().value(), eventId, tiers.countByEventId(eventId), tier.name(),
                tier.priceCents(), tier.capacity()));
        announce(eventId);
    }

    @EventHandler
    void on(TierCapacityChanged changed) {
        tiers.findById(changed.tierId().value()).orElseThrow().changeCapacity(changed.newCapacity());
        announce(changed.eventId().value());
    }

    @EventHandler
    void on(TicketsReserved reserved) {
        apply(reserved.eventId().value(), reserved.lines(), SeatCounts::hold);
    }

    @EventHandler
    void on(ReservationCancelled cancelled) {
        apply(cancelled.eventId().value(), cancelled.lines(), SeatCounts::release);
    }

    @EventHandler
    void on(PaymentRefused refused) {
        apply(refused.eventId().value(), refused.lines(), SeatCounts::release);
    }

    @EventHandler
    void on(ReservationExpired expired) {
        apply(expired.eventId().value(), expired.lines(), SeatCounts::release);
    }

    @EventHandler
    void on(OrderConfirmed confirmed) {
        apply(confirmed.eventId().value(), confirmed.lines(), confirmed.late() ? SeatCounts::sellFree : SeatCounts::sell);
    }

    @EventHandler
    void on(OrderRefunded refunded) {
        if (refunded.seatsReleased()) {
            apply(refunded.eventId().value(), refunded.lines(), SeatCounts::unsell);
        }
    }

    @ResetHandler
    void reset() {
        reads.clear();
        tiers.deleteAllInBatch();
        events.deleteAllInBatch();
    }

    /** Moves seats of each line's tier, and of the event as a whole, the same way. */
    private void apply(UUID eventId, List<ReservedLine> lines, BiConsumer<SeatCounts, Integer> move) {
        int total = 0;
        for (ReservedLine line : lines) {
            move.accept(tiers.findById(line.tierId().value()).orElseThrow().seats(), line.quantity());
            total += line.quantity();
        }
        move.accept(events.findById(eventId).orElseThrow().seats(), total);
        announce(eventId);
    }

    /**
     * Watchers, on this node and the others, see the event's new counts once this batch commits.
     * Not during a replay: the counts are rebuilt from zero then, and a watcher must never see
     * them go back.
     */
    private void announce(UUID eventId) {
        boolean push = !CurrentUnitOfWork.isStarted() || !ReplayToken.isReplay(CurrentUnitOfWork.get().getMessage());
        if (push) {
            streams.changed(eventId);
        }
        reads.changed(eventId);
        otherNodes.announce(eventId, push);
    }
}
