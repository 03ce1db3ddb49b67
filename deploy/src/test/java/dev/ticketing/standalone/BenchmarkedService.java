package dev.ticketing.standalone;

import dev.ticketing.platform.testing.ApiClient;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A packaged service as the benchmark runs it, the standalone or the row-locking reference
 * ({@code deploy/rowlock-baseline}), both alike: a real process with {@code -Xmx512m}, like
 * {@link StandaloneProcess}, that also times its start until it is healthy, stops gracefully (so
 * the standalone's processors release their claims) and can be inspected by pid: its CPU time
 * ({@code /proc}) and its JIT compile time (its {@code /actuator/prometheus}).
 */
final class BenchmarkedService implements AutoCloseable {

    /** Generous: on two busy cores a start has taken a minute. */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(1);

    private final String name;
    private final Path jar;
    private final Path workDir;
    private final Map<String, String> env;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;

    /** The standalone ({@code standalone.jar}), logging to {@code standalone.log}. */
    BenchmarkedService(Path workDir, Map<String, String> env) throws IOException {
        this("standalone", StandaloneProcess.jar(), workDir, env);
    }

    /** The jar, logging to {@code NAME.log} in {@code workDir}. */
    BenchmarkedService(String name, Path jar, Path workDir, Map<String, String> env) throws IOException {
        this.name = name;
        this.jar = jar;
        this.workDir = workDir;
        this.port = freePort();
        this.env = new HashMap<>(env);
        this.env.put("SERVER_PORT", String.valueOf(port));
        this.log = workDir.resolve(name + ".log");
    }

    /** The row-locking reference's executable jar ({@code -Drowlock.jar}, set by the build). */
    static Path rowLockJar() {
        Path jar = Path.of(System.getProperty("rowlock.jar", "rowlock-baseline/target/rowlock-baseline-exec.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("Build the row-locking reference first (mvn package): " + jar);
        }
        return jar.toAbsolutePath();
    }

    /** More environment for the start (what is only known once the service's port is). */
    void environment(Map<String, String> more) {
        env.putAll(more);
    }

    /**
     * The standalone as docs/operations.md says to start it fast: extracted, with its class data archive
     * ({@code mvn package} makes both); any other service as its jar.
     */
    private List<String> launch() {
        if (!name.equals("standalone")) {
            return List.of("-jar", jar.toString());
        }
        Path extracted = jar.resolveSibling("standalone").resolve(jar.getFileName());
        Path archive = extracted.resolveSibling("ticketing-standalone.jsa");
        if (!Files.isRegularFile(extracted) || !Files.isRegularFile(archive)) {
            throw new IllegalStateException("Build the standalone first (mvn package makes " + extracted + " and " + archive + ")");
        }
        return List.of("-XX:SharedArchiveFile=" + archive, "-jar", extracted.toString());
    }

    /** Starts the jar and waits until {@code /actuator/health} is UP; returns how long that took. */
    Duration start() throws IOException, InterruptedException {
        long started = System.nanoTime();
        List<String> command = new ArrayList<>(List.of(tool("java"), "-Xmx512m"));
        // -Dbenchmark.jfr=FILE: the standalone records itself with Java Flight Recorder (profile settings)
        String jfr = System.getProperty("benchmark.jfr", "");
        if (!jfr.isBlank() && name.equals("standalone")) {
            command.add("-XX:StartFlightRecording=settings=profile,filename=" + Path.of(jfr).toAbsolutePath());
        }
        command.addAll(launch());
        var builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        process = builder.start();
        while (!healthy()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The service exited while starting; see " + log);
            }
            if (System.nanoTime() - started > START_TIMEOUT.toNanos()) {
                throw new IllegalStateException("The service was not healthy after " + START_TIMEOUT + "; see " + log);
            }
            Thread.sleep(100);
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** SIGTERM and wait: the processors release their token claims, so a restart takes over at once. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    int port() {
        return port;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    ApiClient api() {
        return ApiClient.onPort(port);
    }

    Path log() {
        return log;
    }

    /**
     * Forces a full collection in the service ({@code jcmd GC.run}) and reads the heap in use right
     * after from its own metrics (the sum of the heap pools, whatever the collector).
     */
    double heapUsedAfterGcMb() throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(tool("jcmd"), String.valueOf(pid()), "GC.run").redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (jcmd.waitFor() != 0) {
            throw new IllegalStateException("jcmd GC.run failed: " + output);
        }
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/prometheus"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        List<String> heapPools = metrics.body().lines()
                .filter(line -> line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\""))
                .toList();
        if (heapPools.isEmpty()) {
            throw new IllegalStateException("No heap figures in /actuator/prometheus: " + metrics.statusCode());
        }
        double bytes = heapPools.stream().mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
        return bytes / (1024 * 1024);
    }

    /** The JIT's compile time so far (ms), from the service's own metrics ({@code jvm_compilation_time_ms_total}). */
    long compilationMs() throws IOException, InterruptedException {
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/prometheus"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        return (long) metrics.body().lines()
                .filter(line -> line.startsWith("jvm_compilation_time_ms_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .reduce(Double::sum)
                .orElseThrow(() -> new IllegalStateException("No jvm_compilation_time_ms_total in " + name
                        + "'s /actuator/prometheus: " + metrics.statusCode()));
    }

    /** How many lines of the service's log contain {@code text}. */
    long logLinesContaining(String text) throws IOException {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(line -> line.contains(text)).count();
        }
    }

    /** The lines of the service's log at WARN or ERROR level. */
    List<String> warningsAndErrors() throws IOException {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(line -> line.contains(" WARN [") || line.contains("ERROR [")).toList();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (isAlive()) {
            process.destroyForcibly().waitFor();
        }
    }

    private boolean healthy() throws InterruptedException {
        try {
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return health.statusCode() == 200 && health.body().contains("\"status\":\"UP\"");
        } catch (IOException notListeningYet) {
            return false;
        }
    }

    private static String tool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
