package dev.ticketing.standalone;

import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Closed-loop load: each thread sends one request after the other. A timed run has a warm-up
 * (not counted) and a measured window; an open-ended run goes on until every thread says it is
 * done. Latencies of the measured requests go into an HdrHistogram per thread (no contention),
 * merged at the end. Progress is printed every 2 seconds.
 */
final class LoadGenerator {

    /** How a request went. Anything unexpected is not an outcome: the request throws. */
    enum Outcome { OK, REFUSED, DONE }

    /** One request of one thread; {@link Outcome#DONE} ends that thread. */
    interface Request {
        Outcome send() throws Exception;
    }

    /** An answer no request of the benchmark may get; counted as an error. */
    static final class UnexpectedAnswer extends Exception {
        UnexpectedAnswer(String message) {
            super(message);
        }
    }

    /** What one load did: all its requests, and the rate and latencies of those in the measured window. */
    record Figures(String name, long ok, long refused, long errors, long measured, double perSecond, double p50Ms,
                   double p99Ms, double maxMs, List<String> errorSamples) {
    }

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);
    private static final int ERROR_SAMPLES = 5;

    private enum Phase { WARM_UP, MEASURED, STOPPED }

    /** A group of threads sending the same kind of request; each thread gets its own {@link Request}. */
    static final class Load {
        private final String name;
        private final int threads;
        private final Supplier<Request> perThread;
        private final LongAdder ok = new LongAdder();
        private final LongAdder refused = new LongAdder();
        private final LongAdder errors = new LongAdder();
        private final LongAdder measuredOk = new LongAdder();
        private final List<Histogram> histograms = Collections.synchronizedList(new ArrayList<>());
        private final Queue<String> errorSamples = new ConcurrentLinkedQueue<>();
        private final LongAccumulator lastOkNanos = new LongAccumulator(Math::max, Long.MIN_VALUE);
        private long previousDone;
        private Figures figures;

        Load(String name, int threads, Supplier<Request> perThread) {
            this.name = name;
            this.threads = threads;
            this.perThread = perThread;
        }

        Figures figures() {
            return figures;
        }

        /** When the last request that went OK ended ({@link System#nanoTime()}). */
        long lastOkNanos() {
            return lastOkNanos.get();
        }

        private long done() {
            return ok.sum() + refused.sum() + errors.sum();
        }

        private void error(Exception e) {
            errors.increment();
            if (errorSamples.size() < ERROR_SAMPLES) {
                errorSamples.add(e instanceof UnexpectedAnswer ? e.getMessage() : e.toString());
            }
        }

        private String progress(double seconds) {
            long done = done();
            double rate = (done - previousDone) / seconds;
            previousDone = done;
            return String.format(Locale.ROOT, "%s: %,d done (%,d ok, %,d refused), %,.0f/s now, %d errors",
                    name, done, ok.sum(), refused.sum(), rate, errors.sum());
        }

        private void finish(double measuredSeconds) {
            Histogram all = new Histogram(3);
            histograms.forEach(all::add);
            figures = new Figures(name, ok.sum(), refused.sum(), errors.sum(), all.getTotalCount(),
                    measuredOk.sum() / measuredSeconds, all.getValueAtPercentile(50) / 1000.0,
                    all.getValueAtPercentile(99) / 1000.0, all.getMaxValue() / 1000.0, List.copyOf(errorSamples));
        }
    }

    private final String scenario;
    private final List<Load> loads;
    private volatile Phase phase;
    private long lastProgress = System.nanoTime();

    private LoadGenerator(String scenario, List<Load> loads, Phase first) {
        this.scenario = scenario;
        this.loads = loads;
        this.phase = first;
    }

    /** Warm-up, then the measured window; the figures count the window only. */
    static void timed(String scenario, Duration warmUp, Duration window, Load... loads) throws InterruptedException {
        LoadGenerator run = new LoadGenerator(scenario, List.of(loads), Phase.WARM_UP);
        List<Thread> threads = run.startThreads();
        run.progressUntil(System.nanoTime() + warmUp.toNanos(), "warm-up", threads);
        long windowStart = System.nanoTime();
        run.phase = Phase.MEASURED;
        run.progressUntil(windowStart + window.toNanos(), "measured", threads);
        run.phase = Phase.STOPPED;
        double seconds = (System.nanoTime() - windowStart) / 1e9;
        for (Thread thread : threads) {
            thread.join();
        }
        run.finish(seconds);
    }

    /**
     * Until every thread is done, or {@code atMost} has passed (then the threads are stopped). All
     * requests are measured; the rate is over the whole run. Returns whether every thread was done.
     */
    static boolean untilDone(String scenario, Duration atMost, Load... loads) throws InterruptedException {
        LoadGenerator run = new LoadGenerator(scenario, List.of(loads), Phase.MEASURED);
        long started = System.nanoTime();
        List<Thread> threads = run.startThreads();
        run.progressUntil(started + atMost.toNanos(), "running", threads);
        boolean allDone = threads.stream().noneMatch(Thread::isAlive);
        run.phase = Phase.STOPPED;
        for (Thread thread : threads) {
            thread.join();
        }
        run.finish((System.nanoTime() - started) / 1e9);
        return allDone;
    }

    private void finish(double measuredSeconds) {
        loads.forEach(load -> load.finish(measuredSeconds));
    }

    private List<Thread> startThreads() {
        List<Thread> threads = new ArrayList<>();
        for (Load load : loads) {
            for (int i = 0; i < load.threads; i++) {
                Request request = load.perThread.get();
                Histogram latencies = new Histogram(3);
                load.histograms.add(latencies);
                Thread thread = new Thread(() -> sendUntilStopped(load, request, latencies), scenario + "-" + load.name + "-" + i);
                thread.setDaemon(true);
                threads.add(thread);
            }
        }
        threads.forEach(Thread::start);
        return threads;
    }

    private void sendUntilStopped(Load load, Request request, Histogram latencies) {
        while (phase != Phase.STOPPED) {
            long started = System.nanoTime();
            Outcome outcome = null;
            try {
                outcome = request.send();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                load.error(e);
            }
            long ended = System.nanoTime();
            if (outcome == Outcome.DONE) {
                return;
            }
            boolean measured = phase == Phase.MEASURED;   // by when it ended: a window counts what it completed
            if (outcome == Outcome.OK) {
                load.ok.increment();
                load.lastOkNanos.accumulate(ended);
                if (measured) {
                    load.measuredOk.increment();
                }
            } else if (outcome == Outcome.REFUSED) {
                load.refused.increment();
            }
            if (measured) {
                latencies.recordValue(Math.max(1, (ended - started) / 1_000));
            }
        }
    }

    /** Prints progress every 2 s (across phases) until {@code deadline} or until every thread has ended. */
    private void progressUntil(long deadline, String label, List<Thread> threads) throws InterruptedException {
        long phaseStart = System.nanoTime();
        while (System.nanoTime() < deadline && threads.stream().anyMatch(Thread::isAlive)) {
            Thread.sleep(50);
            long now = System.nanoTime();
            if (now - lastProgress >= PROGRESS_EVERY.toNanos()) {
                double interval = (now - lastProgress) / 1e9;
                String progress = loads.stream().map(load -> load.progress(interval)).collect(Collectors.joining(" | "));
                System.out.printf(Locale.ROOT, "[%s] %s %.1f s | %s%n", scenario, label, (now - phaseStart) / 1e9, progress);
                lastProgress = now;
            }
        }
    }

    static String describe(Figures figures) {
        return String.format(Locale.ROOT, "%s: %,.0f/s, p50 %.1f ms, p99 %.1f ms, max %.1f ms (%,d measured; %,d ok, %,d refused, %d errors%s)",
                figures.name(), figures.perSecond(), figures.p50Ms(), figures.p99Ms(), figures.maxMs(), figures.measured(),
                figures.ok(), figures.refused(), figures.errors(),
                figures.errorSamples().isEmpty() ? "" : "; first errors: " + String.join("; ", figures.errorSamples()));
    }
}
