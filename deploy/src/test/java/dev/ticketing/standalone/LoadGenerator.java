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
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Load by threads: in a closed loop each thread sends one request after the other; a paced load's
 * threads send at a fixed rate together, whatever the answers take (open loop: a slow service
 * does not slow its callers down), and a request's latency counts from when it was due, so a
 * stall shows in the tail instead of in fewer requests. A timed run has a warm-up
 * (not counted) and one or more measured windows, one after the other while the load goes on; an
 * open-ended run goes on until every thread says it is done. Latencies of the measured requests go
 * into an HdrHistogram per thread and window (no contention), merged at the end. Progress is
 * printed every 2 seconds.
 */
final class LoadGenerator {

    /** How a request went. Anything unexpected is not an outcome: the request throws, and it counts as an error. */
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

    /**
     * What one load did: all its requests ({@code ok}, {@code refused}, {@code errors}: warm-up and every
     * window), and those of one measured window: how many ended in it, how many of them went OK
     * ({@code windowOk}), over how many seconds, their rate and latencies.
     */
    record Figures(String name, long ok, long refused, long errors, long measured, long windowOk, double seconds,
                   double perSecond, double p50Ms, double p99Ms, double maxMs, List<String> errorSamples) {
    }

    /** When a warm-up is over; asked every 50 ms while it runs. */
    interface WarmUp {
        boolean done(Duration elapsed) throws Exception;
    }

    /** Told when each measured window starts and ends (the load running), e.g. to read what it costs. */
    interface WindowWatcher {
        void started(int window) throws Exception;

        void ended(int window) throws Exception;
    }

    static WarmUp fixed(Duration warmUp) {
        return elapsed -> elapsed.compareTo(warmUp) >= 0;
    }

    private static final WindowWatcher NOBODY = new WindowWatcher() {
        @Override
        public void started(int window) {
        }

        @Override
        public void ended(int window) {
        }
    };

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);
    private static final int ERROR_SAMPLES = 5;

    private enum Phase { WARM_UP, MEASURED, STOPPED }

    /** A group of threads sending the same kind of request; each thread gets its own {@link Request}. */
    static final class Load {
        private final String name;
        private final int threads;
        private final Supplier<Request> perThread;
        /** Paced: the time between two requests of one thread; 0: closed loop. */
        private final long intervalNanos;
        private final LongAdder ok = new LongAdder();
        private final LongAdder refused = new LongAdder();
        private final LongAdder errors = new LongAdder();
        private LongAdder[] measuredOk;
        private final List<Histogram[]> histograms = Collections.synchronizedList(new ArrayList<>());
        private final Queue<String> errorSamples = new ConcurrentLinkedQueue<>();
        private final LongAccumulator lastOkNanos = new LongAccumulator(Math::max, Long.MIN_VALUE);
        private long previousDone;
        private List<Figures> figures;

        Load(String name, int threads, Supplier<Request> perThread) {
            this(name, threads, 0, perThread);
        }

        private Load(String name, int threads, long intervalNanos, Supplier<Request> perThread) {
            this.name = name;
            this.threads = threads;
            this.intervalNanos = intervalNanos;
            this.perThread = perThread;
        }

        /** {@code perSecond} requests a second from {@code threads} threads together, open loop. */
        static Load paced(String name, int threads, double perSecond, Supplier<Request> perThread) {
            if (!(perSecond > 0)) {
                throw new IllegalArgumentException("a paced load needs a rate above 0, not " + perSecond);
            }
            return new Load(name, threads, Math.round(threads * 1e9 / perSecond), perThread);
        }

        String name() {
            return name;
        }

        /** The figures of a run with one measured window. */
        Figures figures() {
            if (figures.size() != 1) {
                throw new IllegalStateException(name + " was measured in " + figures.size() + " windows: windowFigures()");
            }
            return figures.get(0);
        }

        /** The figures of each measured window, in order. */
        List<Figures> windowFigures() {
            return figures;
        }

        /** When the last request that went OK ended ({@link System#nanoTime()}). */
        long lastOkNanos() {
            return lastOkNanos.get();
        }

        private long done() {
            return ok.sum() + refused.sum() + errors.sum();
        }

        private void error(Throwable e) {
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

        private void finish(double[] windowSeconds) {
            List<Figures> windows = new ArrayList<>();
            for (int window = 0; window < windowSeconds.length; window++) {
                Histogram all = new Histogram(3);
                for (Histogram[] thread : histograms) {
                    all.add(thread[window]);
                }
                long windowOk = measuredOk[window].sum();
                windows.add(new Figures(name, ok.sum(), refused.sum(), errors.sum(), all.getTotalCount(), windowOk,
                        windowSeconds[window], windowOk / windowSeconds[window], all.getValueAtPercentile(50) / 1000.0,
                        all.getValueAtPercentile(99) / 1000.0, all.getMaxValue() / 1000.0, List.copyOf(errorSamples)));
            }
            figures = List.copyOf(windows);
        }
    }

    private final String scenario;
    private final List<Load> loads;
    private final int windows;
    private volatile Phase phase;
    /** The measured window requests that end now count in. */
    private volatile int window;
    private long lastProgress = System.nanoTime();

    private LoadGenerator(String scenario, List<Load> loads, Phase first, int windows) {
        this.scenario = scenario;
        this.loads = loads;
        this.phase = first;
        this.windows = windows;
    }

    /** Warm-up, then the measured window; the figures count the window only. */
    static void timed(String scenario, Duration warmUp, Duration window, Load... loads) throws Exception {
        windows(scenario, fixed(warmUp), window, 1, NOBODY, loads);
    }

    /**
     * A warm-up until {@code warmUp} says it is done, then {@code count} measured windows of
     * {@code window} one after the other, the load going on throughout; {@code watcher} is told
     * when each starts and ends. Returns how long the warm-up lasted; the figures are per window
     * ({@link Load#windowFigures()}).
     */
    static Duration windows(String scenario, WarmUp warmUp, Duration window, int count, WindowWatcher watcher,
                            Load... loads) throws Exception {
        LoadGenerator run = new LoadGenerator(scenario, List.of(loads), Phase.WARM_UP, count);
        List<Thread> threads = run.startThreads();
        double[] seconds = new double[count];
        long warmUpStart = System.nanoTime();
        Duration warmedUp;
        try {
            while (!warmUp.done(Duration.ofNanos(System.nanoTime() - warmUpStart))
                    && threads.stream().anyMatch(Thread::isAlive)) {
                run.progressUntil(System.nanoTime() + 50_000_000L, "warm-up", threads, warmUpStart);
            }
            warmedUp = Duration.ofNanos(System.nanoTime() - warmUpStart);
            // the watcher is told right after each switch, while the load goes on (past the last window too)
            for (int i = 0; i < count; i++) {
                long windowStart = System.nanoTime();
                run.window = i;
                run.phase = Phase.MEASURED;
                watcher.started(i);
                run.progressUntil(windowStart + window.toNanos(), count == 1 ? "measured" : "window " + (i + 1), threads,
                        windowStart);
                run.window = count;   // no window: what ends now is not measured
                seconds[i] = (System.nanoTime() - windowStart) / 1e9;
                watcher.ended(i);
            }
        } finally {
            run.phase = Phase.STOPPED;
            for (Thread thread : threads) {
                thread.join();
            }
        }
        run.finish(seconds);
        return warmedUp;
    }

    /**
     * Until every thread is done, or {@code atMost} has passed (then the threads are stopped). All
     * requests are measured; the rate is over the whole run. Returns whether every thread was done.
     */
    static boolean untilDone(String scenario, Duration atMost, Load... loads) throws InterruptedException {
        LoadGenerator run = new LoadGenerator(scenario, List.of(loads), Phase.MEASURED, 1);
        long started = System.nanoTime();
        List<Thread> threads = run.startThreads();
        run.progressUntil(started + atMost.toNanos(), "running", threads, started);
        boolean allDone = threads.stream().noneMatch(Thread::isAlive);
        run.phase = Phase.STOPPED;
        for (Thread thread : threads) {
            thread.join();
        }
        run.finish(new double[]{(System.nanoTime() - started) / 1e9});
        return allDone;
    }

    private void finish(double[] windowSeconds) {
        loads.forEach(load -> load.finish(windowSeconds));
    }

    private List<Thread> startThreads() {
        List<Thread> threads = new ArrayList<>();
        for (Load load : loads) {
            load.measuredOk = IntStream.range(0, windows).mapToObj(i -> new LongAdder()).toArray(LongAdder[]::new);
            long firstDue = System.nanoTime();
            for (int i = 0; i < load.threads; i++) {
                Request request = load.perThread.get();
                Histogram[] latencies = IntStream.range(0, windows).mapToObj(w -> new Histogram(3)).toArray(Histogram[]::new);
                load.histograms.add(latencies);
                // a paced load's threads take turns: thread i starts i intervals/threads after the first
                long due = firstDue + load.intervalNanos * i / load.threads;
                Thread thread = new Thread(() -> sendUntilStopped(load, request, latencies, due), scenario + "-" + load.name + "-" + i);
                thread.setDaemon(true);
                threads.add(thread);
            }
        }
        threads.forEach(Thread::start);
        return threads;
    }

    private void sendUntilStopped(Load load, Request request, Histogram[] latencies, long firstDue) {
        long due = firstDue;
        while (phase != Phase.STOPPED) {
            long started = System.nanoTime();
            if (load.intervalNanos > 0) {
                // late (the previous answer took longer than the interval): send at once, timed from when it was due
                while (started < due && phase != Phase.STOPPED) {
                    LockSupport.parkNanos(due - started);
                    started = System.nanoTime();
                }
                if (phase == Phase.STOPPED) {
                    return;
                }
                started = due;
                due += load.intervalNanos;
            }
            Outcome outcome = null;
            try {
                outcome = request.send();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception | Error e) {
                // an Error too (an assertion in a request): uncaught, it would end the thread as if it were done
                load.error(e);
            }
            long ended = System.nanoTime();
            if (outcome == Outcome.DONE) {
                return;
            }
            int window = this.window;
            // by when it ended: a window counts what it completed
            boolean measured = phase == Phase.MEASURED && window < windows;
            if (outcome == Outcome.OK) {
                load.ok.increment();
                load.lastOkNanos.accumulate(ended);
                if (measured) {
                    load.measuredOk[window].increment();
                }
            } else if (outcome == Outcome.REFUSED) {
                load.refused.increment();
            }
            if (measured) {
                latencies[window].recordValue(Math.max(1, (ended - started) / 1_000));
            }
        }
    }

    /** Prints progress every 2 s (across phases) until {@code deadline} or until every thread has ended. */
    private void progressUntil(long deadline, String label, List<Thread> threads, long phaseStart) throws InterruptedException {
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
