package dev.ticketing.command.config;

import com.github.benmanes.caffeine.cache.Caffeine;
import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;
import org.axonframework.eventsourcing.AggregateCacheEntry;

import java.lang.reflect.Field;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Axon's aggregate cache on Caffeine: at most {@code maximumSize} inventories, least recently used
 * out first, and values held softly, so only real memory pressure takes one away. With Axon's
 * WeakReferenceCache any collection could take an inventory no command held at that moment, and
 * the next command loaded it again from its snapshot and events (about 30 % of the reservation
 * drainers' time in an on-sale's profile).
 * <p>
 * With several command nodes another node may have appended to an inventory this node holds: an
 * entry is only handed out while it is the newest, checked against the event store's latest
 * sequence of the aggregate ({@code latestStored}, one indexed look-up, in the caller's
 * transaction, which on PostgreSQL also takes the inventory's lock across nodes: see
 * CommandSideConfig); an older one is dropped, and the repository loads the inventory afresh. Without
 * the check the stale copy decided, lost the append on the store's key, and its command or
 * deadline had to go again.
 */
final class CaffeineAggregateCache implements Cache {

    /** Axon keeps the cached aggregate's version in a private field (no accessor); read once per get. */
    private static final Field CACHED_VERSION = versionField();

    private final ConcurrentMap<Object, Object> entries;
    private final Function<String, Long> latestStored;

    /**
     * @param latestStored an aggregate's latest sequence number in the event store (null: none),
     *                     asked on every get, hit or miss
     */
    CaffeineAggregateCache(long maximumSize, Function<String, Long> latestStored) {
        this.entries = Caffeine.newBuilder().maximumSize(maximumSize).softValues().build().asMap();
        this.latestStored = latestStored;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> V get(K key) {
        Long stored = latestStored.apply(key.toString());
        Object entry = entries.get(key);
        if (entry instanceof AggregateCacheEntry<?> cached && isBehind(stored, cached)) {
            entries.remove(key, entry);
            return null;
        }
        return (V) entry;
    }

    private static boolean isBehind(Long stored, AggregateCacheEntry<?> cached) {
        Long version;
        try {
            version = (Long) CACHED_VERSION.get(cached);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        return stored != null && (version == null || stored > version);
    }

    private static Field versionField() {
        try {
            Field field = AggregateCacheEntry.class.getDeclaredField("version");
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("Axon's AggregateCacheEntry has no version field any more", e);
        }
    }

    @Override
    public void put(Object key, Object value) {
        if (value == null) {
            entries.remove(key);
        } else {
            entries.put(key, value);
        }
    }

    @Override
    public boolean putIfAbsent(Object key, Object value) {
        return entries.putIfAbsent(key, value) == null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T computeIfAbsent(Object key, Supplier<T> valueSupplier) {
        return (T) entries.computeIfAbsent(key, k -> valueSupplier.get());
    }

    @Override
    public boolean remove(Object key) {
        return entries.remove(key) != null;
    }

    @Override
    public void removeAll() {
        entries.clear();
    }

    @Override
    public boolean containsKey(Object key) {
        return entries.containsKey(key);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V> void computeIfPresent(Object key, UnaryOperator<V> update) {
        entries.computeIfPresent(key, (k, value) -> update.apply((V) value));
    }

    /** Nothing of ours listens to the aggregate cache; say so rather than drop a listener silently. */
    @Override
    public Registration registerCacheEntryListener(EntryListener cacheEntryListener) {
        throw new UnsupportedOperationException("The aggregate cache takes no entry listeners");
    }
}
