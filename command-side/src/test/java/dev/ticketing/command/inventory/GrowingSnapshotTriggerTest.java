package dev.ticketing.command.inventory;

import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.SnapshotTrigger;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class GrowingSnapshotTriggerTest {

    private final List<Long> snapshotsAfter = new ArrayList<>();
    private long lastSequence;

    @Test
    void aShortStreamIsSnapshottedEveryNEvents() {
        SnapshotTrigger trigger = loaded(new GrowingSnapshotTrigger((type, id) -> snapshotsAfter.add(lastSequence), 100));

        append(trigger, 0, 400);

        assertThat(snapshotsAfter).containsExactly(99L, 199L, 299L, 399L);
    }

    @Test
    void aLongStreamIsSnapshottedEachTimeItGrewByAQuarter_soFarFewerSnapshotsAndNoGapLongerThanAQuarter() {
        SnapshotTrigger trigger = loaded(new GrowingSnapshotTrigger((type, id) -> snapshotsAfter.add(lastSequence), 1_000));

        append(trigger, 0, 1_000_000);

        // every 1,000 events would be 1,000 snapshots
        assertThat(snapshotsAfter).hasSizeLessThan(40);
        assertThat(snapshotsAfter.subList(0, 4)).containsExactly(999L, 1_999L, 2_999L, 3_999L);
        long previous = -1;
        for (long at : snapshotsAfter) {
            assertThat(at - previous).as("events between snapshots, up to " + at)
                    .isGreaterThanOrEqualTo(1_000).isLessThanOrEqualTo(Math.max(1_000, at / 4 + 1));
            previous = at;
        }
        assertThat(1_000_000 - 1 - previous).as("events since the last snapshot")
                .isLessThanOrEqualTo(1_000_000 / 4);
    }

    @Test
    void aLoadFromASnapshotCountsFromThere() {
        SnapshotTrigger trigger = new GrowingSnapshotTrigger((type, id) -> snapshotsAfter.add(lastSequence), 100)
                .prepareTrigger(TierInventory.class);
        append(trigger, 1_000, 1_001);   // the snapshot at sequence 1,000, as a load starts from it
        trigger.initializationFinished();

        append(trigger, 1_001, 1_400);

        // grown by a quarter of its length since the snapshot (every 100 events would have been at 1,099)
        assertThat(snapshotsAfter).containsExactly(1_331L);
    }

    private SnapshotTrigger loaded(GrowingSnapshotTrigger definition) {
        SnapshotTrigger trigger = definition.prepareTrigger(TierInventory.class);
        trigger.initializationFinished();
        return trigger;
    }

    private void append(SnapshotTrigger trigger, long from, long to) {
        for (long sequence = from; sequence < to; sequence++) {
            lastSequence = sequence;
            trigger.eventHandled(new GenericDomainEventMessage<>("TierInventory", "event-1", sequence, "payload"));
        }
    }
}
