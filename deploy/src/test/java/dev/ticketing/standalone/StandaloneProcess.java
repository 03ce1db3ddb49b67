package dev.ticketing.standalone;

import dev.ticketing.platform.testing.ApiClient;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/** The packaged standalone jar as a real process: started, probed, killed with SIGKILL, restarted. */
final class StandaloneProcess implements AutoCloseable {

    private final Path workDir;
    private final Map<String, String> env;
    private final int port;
    private final Path log;
    private Process process;

    StandaloneProcess(Path workDir, Map<String, String> env) throws IOException {
        this.workDir = workDir;
        this.port = freePort();
        this.env = new HashMap<>(env);
        this.env.put("SERVER_PORT", String.valueOf(port));
        this.log = workDir.resolve("standalone.log");
    }

    static Path jar() {
        String jar = System.getProperty("standalone.jar", "target/ticketing-standalone.jar");
        if (!new File(jar).isFile()) {
            throw new IllegalStateException("Build the standalone first (mvn package): " + jar);
        }
        return Path.of(jar).toAbsolutePath();
    }

    /** More environment for the next start (e.g. what is only known once other processes run). */
    void environment(Map<String, String> more) {
        env.putAll(more);
    }

    StandaloneProcess start() {
        try {
            var builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-jar", jar().toString())
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(env);
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ApiClient api = api();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("The standalone exited; see " + log);
                    }
                    return api.get("/actuator/health", null).body().path("status").asText().equals("UP");
                });
        return this;
    }

    /** SIGKILL: no shutdown hooks, no flushing, as when a machine dies. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    void stop() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }

    int port() {
        return port;
    }

    ApiClient api() {
        return ApiClient.onPort(port);
    }

    String output() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            kill();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
