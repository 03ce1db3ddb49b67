package dev.ticketing.cluster;

import dev.ticketing.platform.testing.ApiClient;
import dev.ticketing.platform.testing.TestDatabase;
import dev.ticketing.platform.testing.TestTokens;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The topology of {@code deploy/cluster/cluster.sh} (2 command nodes, 2 query nodes, nginx, the
 * Stripe stand-in) on free ports and a fresh schema, driven through that same script, as a person
 * would: start, SIGKILL a node, stop one gracefully, start it again, stop all.
 */
public final class LocalCluster implements AutoCloseable {

    static final List<String> COMMAND_NODES = List.of("command-1", "command-2");
    static final List<String> QUERY_NODES = List.of("query-1", "query-2");

    private final Path script;
    private final Path dir;
    private final Map<String, String> env = new HashMap<>();
    private final Map<String, Integer> ports = new HashMap<>();
    private final TestDatabase.Schema schema = TestDatabase.freshSchema();
    private final int ingressPort;

    /** For the tests: quick to start (C1 only), small heaps. */
    LocalCluster(Duration holdFor) throws IOException {
        this(holdFor, "-Xmx320m -XX:TieredStopAtLevel=1");
    }

    /** @param javaOptions each node's JVM options ({@code NODE_JAVA_OPTS}) */
    public LocalCluster(Duration holdFor, String javaOptions) throws IOException {
        Path root = Path.of(System.getProperty("standalone.jar")).toAbsolutePath().getParent().getParent().getParent();
        this.script = root.resolve("deploy/cluster/cluster.sh");
        this.dir = root.resolve("deploy/target/cluster-it");
        Files.createDirectories(dir);
        this.ingressPort = freePort();
        List<Integer> command = List.of(freePort(), freePort());
        List<Integer> query = List.of(freePort(), freePort());
        for (int i = 0; i < 2; i++) {
            ports.put(COMMAND_NODES.get(i), command.get(i));
            ports.put(QUERY_NODES.get(i), query.get(i));
        }
        env.putAll(Map.of(
                "CLUSTER_DIR", dir.toString(),
                "INGRESS_PORT", String.valueOf(ingressPort),
                "COMMAND_PORTS", command.get(0) + " " + command.get(1),
                "QUERY_PORTS", query.get(0) + " " + query.get(1),
                "STRIPE_PORT", String.valueOf(freePort()),
                "SPRING_DATASOURCE_URL", schema.url(),
                "SPRING_DATASOURCE_USERNAME", schema.user(),
                "SPRING_DATASOURCE_PASSWORD", schema.password(),
                "TICKETING_SECURITY_JWT_HMAC_SECRET", TestTokens.SECRET,
                "TICKETING_RESERVATION_TIMEOUT", holdFor.toString()));
        env.put("NODE_JAVA_OPTS", javaOptions);
    }

    /** Starts every node and the ingress; stops what did start when one of them cannot. */
    public LocalCluster start() {
        try {
            run("start");
        } catch (RuntimeException failed) {
            close();
            throw failed;
        }
        return this;
    }

    public void kill(String node) {
        run("kill", node);
    }

    public void stopNode(String node) {
        run("stop-node", node);
    }

    public void startNode(String node) {
        run("start-node", node);
    }

    public ApiClient ingress() {
        return ApiClient.onPort(ingressPort);
    }

    public int ingressPort() {
        return ingressPort;
    }

    public int port(String node) {
        return ports.get(node);
    }

    public ApiClient node(String node) {
        return ApiClient.onPort(port(node));
    }

    /** The cluster's schema in the test database. */
    public TestDatabase.Schema schema() {
        return schema;
    }

    public Connection database() throws SQLException {
        return DriverManager.getConnection(schema.url(), schema.user(), schema.password());
    }

    /** The last lines of a node's log, for a failure message. */
    public String logTail(String node) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve(node + ".log"), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        run("stop");
    }

    private void run(String... args) {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        try {
            var builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("cluster.log").toFile()));
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("cluster.sh " + String.join(" ", args) + " did not finish in 5 minutes");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("cluster.sh " + String.join(" ", args) + " failed; see "
                        + dir.resolve("cluster.log") + ":\n" + Files.readString(dir.resolve("cluster.log")));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
