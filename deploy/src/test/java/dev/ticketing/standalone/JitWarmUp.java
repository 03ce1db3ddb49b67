package dev.ticketing.standalone;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A warm-up that lasts until the JIT compilers of the JVMs that do the work have finished: until
 * the compile time of each grew by less than {@code quietMs} over the last {@code quiet}, read once a
 * second; at least {@code atLeast}, and at most {@code atMost} (then it says so).
 */
final class JitWarmUp implements LoadGenerator.WarmUp {

    /** A JVM's compile time so far, in ms. */
    interface CompileTime {
        long ms() throws Exception;
    }

    private record Reading(long nanos, long[] ms) {
    }

    private final Map<String, CompileTime> jvms;
    private final Duration atLeast;
    private final Duration atMost;
    private final Duration quiet;
    private final long quietMs;
    private final Deque<Reading> readings = new ArrayDeque<>();
    private String outcome = "not run";

    JitWarmUp(Map<String, CompileTime> jvms, Duration atLeast, Duration atMost, Duration quiet, long quietMs) {
        this.jvms = new LinkedHashMap<>(jvms);
        this.atLeast = atLeast;
        this.atMost = atMost;
        this.quiet = quiet;
        this.quietMs = quietMs;
    }

    @Override
    public boolean done(Duration elapsed) throws Exception {
        long now = System.nanoTime();
        if (readings.isEmpty() || now - readings.peekLast().nanos() >= 1_000_000_000L) {
            readings.add(new Reading(now, read()));
        }
        // the oldest reading kept is the latest one at least `quiet` ago
        while (readings.size() > 1 && now - List.copyOf(readings).get(1).nanos() >= quiet.toNanos()) {
            readings.removeFirst();
        }
        Reading first = readings.peekFirst();
        Reading last = readings.peekLast();
        long[] grown = new long[last.ms().length];
        for (int i = 0; i < grown.length; i++) {
            grown[i] = last.ms()[i] - first.ms()[i];
        }
        boolean quietEnough = last.nanos() - first.nanos() >= quiet.toNanos()
                && java.util.Arrays.stream(grown).allMatch(ms -> ms < quietMs);
        String growth = "grew " + describe(grown) + " in the last " + String.format(Locale.ROOT, "%.1f s", (last.nanos() - first.nanos()) / 1e9);
        if (elapsed.compareTo(atLeast) >= 0 && quietEnough) {
            outcome = String.format(Locale.ROOT, "JIT done after %.1f s (compile time %s)", elapsed.toMillis() / 1000.0, growth);
            return true;
        }
        if (elapsed.compareTo(atMost) >= 0) {
            outcome = String.format(Locale.ROOT, "stopped at its cap of %.0f s, the JIT still compiling (%s)",
                    atMost.toMillis() / 1000.0, growth);
            return true;
        }
        return false;
    }

    /** How the last warm-up ended. */
    String outcome() {
        return outcome;
    }

    /** Each JVM's compile time so far, e.g. {@code service 12,345 ms, load generator 6,789 ms}. */
    String compileTimes() throws Exception {
        long[] ms = read();
        return "JIT compile time so far: " + describe(ms);
    }

    private String describe(long[] ms) {
        List<String> names = List.copyOf(jvms.keySet());
        return java.util.stream.IntStream.range(0, ms.length)
                .mapToObj(i -> String.format(Locale.ROOT, "%s %,d ms", names.get(i), ms[i]))
                .collect(Collectors.joining(", "));
    }

    private long[] read() throws Exception {
        long[] ms = new long[jvms.size()];
        int i = 0;
        for (CompileTime jvm : jvms.values()) {
            ms[i++] = jvm.ms();
        }
        return ms;
    }
}
