package dev.ticketing.standalone;

import dev.ticketing.cluster.LocalCluster;
import dev.ticketing.platform.testing.ApiClient;
import dev.ticketing.platform.testing.TestTokens;
import dev.ticketing.standalone.LoadGenerator.Figures;
import dev.ticketing.standalone.LoadGenerator.Load;
import dev.ticketing.standalone.LoadGenerator.Outcome;
import dev.ticketing.standalone.LoadGenerator.Request;
import dev.ticketing.standalone.LoadGenerator.UnexpectedAnswer;
import dev.ticketing.testing.TicketingDriver;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 7's figures from issue 6's hot on-sale: the local cluster (cluster.sh: nginx, command
 * and query nodes on one PostgreSQL), 32 clients through the ingress, first with one command node
 * (the other stopped), then with two. Each with one hot event (hashed to one node: one writer per
 * event) and with two hot events at once (16 clients each: the ingress spreads the events over the
 * nodes). Prints a {@code RESULT cluster-hot-onsale ...} line per run; asserts correctness only
 * (no errors, the clients' grants are exactly what the event store holds).
 * {@code -Dbenchmark.mode=full}: 10 s warm-up and 30 s windows; short (CI): 2 s and 4 s.
 */
class ClusterOnSaleBenchmarkIT {

    private static final int CLIENTS = 32;
    private static final String ORGANIZER = TestTokens.token("cluster-benchmark-organiser", "ORGANIZER");
    private final boolean full = System.getProperty("benchmark.mode", "short").equals("full");
    private final Duration warmUp = Duration.ofSeconds(full ? 10 : 2);
    private final Duration window = Duration.ofSeconds(full ? 30 : 4);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> results = new ArrayList<>();

    /** An event on sale, with the tickets granted of it. */
    private record OnSale(String eventId, List<String> tierIds, LongAdder tickets) {
    }

    @Test
    void hotOnSaleOnOneAndOnTwoCommandNodes() throws Exception {
        // an hour's holds: nothing expires while it runs; the JIT as in production (not the tests' quick start)
        try (LocalCluster cluster = new LocalCluster(Duration.ofHours(1), "-Xmx512m").start()) {
            System.out.println("[cluster-benchmark] started; nodes' logs under deploy/target/cluster-it");
            cluster.stopNode("command-2");
            run(cluster, 1, 1);
            run(cluster, 1, 2);
            cluster.startNode("command-2");
            run(cluster, 2, 1);
            run(cluster, 2, 2);
        }
        System.out.println();
        results.forEach(System.out::println);
    }

    private void run(LocalCluster cluster, int commandNodes, int hotEvents) throws Exception {
        String name = "cluster-hot-onsale nodes=" + commandNodes + " events=" + hotEvents;
        List<OnSale> events = IntStream.range(0, hotEvents).mapToObj(i -> putOnSale(cluster.ingress())).toList();
        List<Load> loads = new ArrayList<>();
        for (int i = 0; i < hotEvents; i++) {
            OnSale event = events.get(i);
            BuyerTokens buyers = BuyerTokens.sign("cluster-" + commandNodes + "-" + hotEvents + "-" + i,
                    (full ? 40_000 : 4_000) / hotEvents);
            loads.add(new Load("reservations event " + (i + 1), CLIENTS / hotEvents,
                    () -> reservations(cluster.ingressPort(), event, buyers)));
        }
        LoadGenerator.timed(name, warmUp, window, loads.toArray(Load[]::new));
        double perSecond = 0;
        long errors = 0;
        double p99 = 0;
        double p50 = 0;
        for (Load load : loads) {
            Figures figures = load.figures();
            System.out.println("[" + name + "] " + LoadGenerator.describe(figures));
            perSecond += figures.perSecond();
            errors += figures.errors();
            p99 = Math.max(p99, figures.p99Ms());
            p50 = Math.max(p50, figures.p50Ms());
            assertThat(figures.errors()).as(name + ": every reservation granted; " + figures.errorSamples()).isZero();
        }
        try (ServiceDatabase store = new ServiceDatabase(cluster.schema())) {
            for (OnSale event : events) {
                assertThat(store.reservedTickets(event.eventId())).as(name + ": the store holds what the clients were granted")
                        .isEqualTo(event.tickets().sum());
            }
        }
        String result = String.format(Locale.ROOT, "RESULT cluster-hot-onsale command_nodes=%d hot_events=%d "
                + "reservations_per_s=%.1f p50_ms=%.2f p99_ms=%.2f errors=%d", commandNodes, hotEvents, perSecond, p50, p99, errors);
        System.out.println(result);
        results.add(result);
    }

    private OnSale putOnSale(ApiClient ingress) {
        TicketingDriver.OnSale event = TicketingDriver.on(ingress, ORGANIZER).putOnSale("Cluster On-Sale", "usd",
                4_000_000, false, TicketingDriver.tiers(4, 1_000_000));
        return new OnSale(event.eventId(), event.tierIds(), new LongAdder());
    }

    /** A writer: each request a new buyer reserving 1 to 4 tickets of one random tier; anything but 201 is an error. */
    private Request reservations(int port, OnSale event, BuyerTokens buyers) {
        return () -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            int quantity = 1 + random.nextInt(4);
            String tierId = event.tierIds().get(random.nextInt(event.tierIds().size()));
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/api/v1/events/" + event.eventId() + "/orders"))
                    .timeout(Duration.ofSeconds(90))
                    .header("Authorization", "Bearer " + buyers.next())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"selections\":[{\"tierId\":\"" + tierId + "\",\"quantity\":" + quantity + "}]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201) {
                throw new UnexpectedAnswer(response.statusCode() + " " + response.body());
            }
            event.tickets().add(quantity);
            return Outcome.OK;
        };
    }
}
