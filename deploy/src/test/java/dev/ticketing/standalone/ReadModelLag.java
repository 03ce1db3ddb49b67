package dev.ticketing.standalone;

import dev.ticketing.platform.testing.TestDatabase;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How far a projection is behind the event store while a load runs: every {@code every}, the
 * store's head and the projection's position, on a connection of its own. A sample's lag is the
 * time from reading a head until the projection has handled it (to within the sampling period).
 * Watches the measured window of a {@link LoadGenerator} run; when the window ends it goes on
 * until the last head it saw has been handled (at most {@code catchUpAtMost}).
 */
final class ReadModelLag implements LoadGenerator.WindowWatcher {

    /** The lag's percentiles over the window, and how many samples they are of. */
    record Figures(int samples, double p50Ms, double p99Ms, double maxMs) {
    }

    private record Sample(long atNanos, long head, long position, boolean inWindow) {
    }

    private final TestDatabase.Schema schema;
    private final String projection;
    private final Duration every;
    private final Duration catchUpAtMost;
    private final List<Sample> samples = new ArrayList<>();
    private volatile boolean measuring;
    private Thread sampler;
    /** Set by the sampler; read after it ended, or after waiting for it in vain. */
    private volatile Exception failure;

    ReadModelLag(TestDatabase.Schema schema, String projection, Duration every, Duration catchUpAtMost) {
        this.schema = schema;
        this.projection = projection;
        this.every = every;
        this.catchUpAtMost = catchUpAtMost;
    }

    @Override
    public void started(int window) {
        measuring = true;
        sampler = new Thread(this::sample, "read-model-lag");
        sampler.setDaemon(true);
        sampler.start();
    }

    @Override
    public void ended(int window) throws Exception {
        measuring = false;
        sampler.join(catchUpAtMost.plusSeconds(10).toMillis());
        if (failure != null) {
            throw failure;
        }
    }

    private void sample() {
        try (ServiceDatabase store = new ServiceDatabase(schema)) {
            long lastHead = Long.MAX_VALUE;
            long catchUpUntil = Long.MAX_VALUE;
            while (true) {
                long at = System.nanoTime();
                boolean inWindow = measuring;
                long head = store.head();   // the head first: the position read after it can only be further
                long position = store.processorPositions().getOrDefault(projection, -1L);
                synchronized (samples) {
                    samples.add(new Sample(at, head, position, inWindow));
                }
                if (!inWindow) {
                    if (catchUpUntil == Long.MAX_VALUE) {
                        catchUpUntil = at + catchUpAtMost.toNanos();
                        lastHead = head;
                    }
                    if (position >= lastHead || at > catchUpUntil) {
                        return;
                    }
                }
                Thread.sleep(every.toMillis());
            }
        } catch (SQLException | RuntimeException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Each head read in the window, and when the projection's position had reached it (samples after
     * the window included); a head it never reached counts until the last sample.
     */
    Figures figures() {
        List<Sample> taken;
        synchronized (samples) {
            taken = List.copyOf(samples);
        }
        long[] lags = new long[taken.size()];
        int n = 0;
        int caught = 0;
        for (int i = 0; i < taken.size(); i++) {
            Sample read = taken.get(i);
            if (!read.inWindow()) {
                continue;
            }
            caught = Math.max(caught, i);
            while (caught < taken.size() - 1 && taken.get(caught).position() < read.head()) {
                caught++;
            }
            lags[n++] = taken.get(caught).atNanos() - read.atNanos();
        }
        Arrays.sort(lags, 0, n);
        return new Figures(n, percentile(lags, n, 0.50), percentile(lags, n, 0.99),
                n == 0 ? Double.NaN : lags[n - 1] / 1e6);
    }

    private static double percentile(long[] sorted, int n, double p) {
        if (n == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(n - 1, (int) Math.ceil(p * n) - 1)] / 1e6;
    }
}
