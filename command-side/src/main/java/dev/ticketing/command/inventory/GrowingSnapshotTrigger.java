package dev.ticketing.command.inventory;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.AbstractSnapshotTrigger;
import org.axonframework.eventsourcing.SnapshotTrigger;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;

/**
 * Snapshots an inventory every {@code every} events, and once its stream is longer than
 * {@code GROWTH × every}, each time the stream has grown by another {@code 1/GROWTH} of its length.
 * A snapshot writes the whole state (every live hold and closed order), which grows with the
 * stream: so a snapshot's cost per event stays about the same however big an on-sale gets, while
 * a cold load replays at most {@code 1/GROWTH} of the stream on top of its snapshot.
 */
public final class GrowingSnapshotTrigger implements SnapshotTriggerDefinition {

    static final int GROWTH = 4;

    private final Snapshotter snapshotter;
    private final int every;

    public GrowingSnapshotTrigger(Snapshotter snapshotter, int every) {
        if (every < 1) {
            throw new IllegalArgumentException("snapshot every " + every + " events: must be at least 1");
        }
        this.snapshotter = snapshotter;
        this.every = every;
    }

    @Override
    public SnapshotTrigger prepareTrigger(Class<?> aggregateType) {
        return new Trigger(snapshotter, aggregateType, every);
    }

    @Override
    public SnapshotTrigger reconfigure(Class<?> aggregateType, SnapshotTrigger trigger) {
        if (trigger instanceof AbstractSnapshotTrigger cached) {
            cached.setSnapshotter(snapshotter);
        }
        return trigger;
    }

    static final class Trigger extends AbstractSnapshotTrigger {

        private static final long serialVersionUID = 1L;

        private final int every;
        private int counter;
        private long sequence;

        Trigger(Snapshotter snapshotter, Class<?> aggregateType, int every) {
            super(snapshotter, aggregateType);
            this.every = every;
        }

        @Override
        public void eventHandled(EventMessage<?> message) {
            if (message instanceof DomainEventMessage<?> event) {
                sequence = event.getSequenceNumber();
            }
            super.eventHandled(message);
        }

        @Override
        protected boolean exceedsThreshold() {
            return ++counter >= Math.max(every, sequence / GROWTH);
        }

        @Override
        protected void reset() {
            counter = 0;
        }
    }
}
