package dev.ticketing.command.config;

import org.axonframework.common.caching.Cache;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.SimpleEventBus;
import org.axonframework.eventsourcing.AggregateCacheEntry;
import org.axonframework.eventsourcing.EventSourcedAggregate;
import org.axonframework.eventsourcing.NoSnapshotTriggerDefinition;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.inspection.AnnotatedAggregateMetaModelFactory;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CaffeineAggregateCacheTest {

    private final CaffeineAggregateCache cache = new CaffeineAggregateCache(100, aggregateId -> null);

    /** A minimal event-sourced aggregate: what Axon caches is an entry of one, with its version. */
    static class Counter {
        @AggregateIdentifier
        String id = "event-1";
    }

    /** The cached entry of an aggregate whose last event has sequence {@code version}. */
    private static AggregateCacheEntry<Counter> entryAtVersion(long version) {
        var model = AnnotatedAggregateMetaModelFactory.inspectAggregate(Counter.class);
        EventSourcedAggregate<Counter> aggregate = EventSourcedAggregate.initialize(new Counter(), model,
                SimpleEventBus.builder().build(), NoSnapshotTriggerDefinition.TRIGGER);
        for (long sequence = 0; sequence <= version; sequence++) {
            aggregate.initSequence(sequence);
        }
        return new AggregateCacheEntry<>(aggregate);
    }

    @Test
    void anEntryAnotherNodeHasMovedOnFromIsDroppedWhenAskedFor() {
        Map<String, Long> store = new HashMap<>(Map.of("event-1", 7L));
        var checked = new CaffeineAggregateCache(100, store::get);
        AggregateCacheEntry<Counter> atSeven = entryAtVersion(7);
        checked.put("event-1", atSeven);
        assertThat(checked.<String, Object>get("event-1")).as("as new as the store").isSameAs(atSeven);

        store.put("event-1", 9L);   // another node appended two events
        assertThat(checked.<String, Object>get("event-1")).as("behind the store").isNull();
        assertThat(checked.containsKey("event-1")).as("dropped, so the next load reads the store").isFalse();
    }

    @Test
    void keepsWhatWasPutUntilRemoved() {
        cache.put("event-1", "inventory");
        assertThat(cache.<String, String>get("event-1")).isEqualTo("inventory");
        assertThat(cache.containsKey("event-1")).isTrue();

        assertThat(cache.remove("event-1")).isTrue();
        assertThat(cache.remove("event-1")).isFalse();
        assertThat(cache.<String, String>get("event-1")).isNull();
    }

    @Test
    void keepsItsInventoriesThroughGarbageCollections() {
        // the reason it replaced WeakReferenceCache: nothing else holds the cached inventory
        cache.put("event-1", new StringBuilder("inventory"));
        System.gc();
        assertThat(cache.<String, StringBuilder>get("event-1")).hasToString("inventory");
    }

    @Test
    void putIfAbsentAndComputeIfAbsentKeepTheFirstValue() {
        assertThat(cache.putIfAbsent("event-1", "first")).isTrue();
        assertThat(cache.putIfAbsent("event-1", "second")).isFalse();
        assertThat(cache.<String>computeIfAbsent("event-1", () -> "third")).isEqualTo("first");
        assertThat(cache.<String>computeIfAbsent("event-2", () -> "computed")).isEqualTo("computed");
    }

    @Test
    void computeIfPresentUpdatesAndANullAnswerRemoves() {
        cache.put("event-1", "v1");
        cache.<String>computeIfPresent("event-1", value -> value + "+");
        assertThat(cache.<String, String>get("event-1")).isEqualTo("v1+");

        cache.<String>computeIfPresent("event-1", value -> null);
        assertThat(cache.containsKey("event-1")).isFalse();
        cache.<String>computeIfPresent("event-2", value -> "never");
        assertThat(cache.containsKey("event-2")).isFalse();
    }

    @Test
    void putOfNullRemovesAndRemoveAllEmpties() {
        cache.put("event-1", "v1");
        cache.put("event-1", null);
        assertThat(cache.containsKey("event-1")).isFalse();

        cache.put("event-2", "v2");
        cache.put("event-3", "v3");
        cache.removeAll();
        assertThat(cache.containsKey("event-2")).isFalse();
        assertThat(cache.containsKey("event-3")).isFalse();
    }

    @Test
    void refusesEntryListenersOutright() {
        assertThatThrownBy(() -> cache.registerCacheEntryListener(new Cache.EntryListenerAdapter()))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
