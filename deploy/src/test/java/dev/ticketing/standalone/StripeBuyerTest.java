package dev.ticketing.standalone;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The stand-in's helpers against a server that answers as told: a control or a read that was
 * refused fails the test with what was answered; a read waits out a 429 as a server's client does.
 */
class StripeBuyerTest {

    private HttpServer server;
    /** The status of each next request; 200 once none is left. */
    private final Queue<Integer> statuses = new ConcurrentLinkedQueue<>();
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private StripeBuyer stripe;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/", this::answer);
        server.start();
        stripe = new StripeBuyer("http://localhost:" + server.getAddress().getPort() + "/stripe-emulator", "pk_test_x");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aRefusedControlFailsTheTestWithTheStatusAndTheBody() {
        Map<String, Executable> controls = new LinkedHashMap<>();
        controls.put("/test/webhooks/hold", stripe::holdWebhooks);
        controls.put("/test/webhooks/release", stripe::releaseWebhooks);
        controls.put("/test/webhooks/release?order=reverse", stripe::releaseWebhooksNewestFirst);
        controls.put("/test/payment_intents/pi_1/settle", () -> stripe.settle("pi_1", "succeeded"));
        controls.put("/test/events/evt_1/resend", () -> stripe.resend("evt_1"));
        controls.put("/test/charges/ch_1/dispute", () -> stripe.dispute("ch_1"));
        controls.put("/test/requests", stripe::requests);
        controls.forEach((path, control) -> {
            statuses.add(404);
            assertThatThrownBy(control::execute).as(path).isInstanceOf(AssertionError.class)
                    .hasMessageContaining(path).hasMessageContaining("404").hasMessageContaining("No such thing");
        });
        assertThat(asked).hasSize(controls.size());
    }

    @Test
    void aServerReadWaitsOutTheRateLimitAndAsksAgain() {
        statuses.addAll(List.of(429, 429));

        assertThat(stripe.intent("pi_1", "sk_test_x").path("id").asText()).isEqualTo("pi_1");
        assertThat(asked).containsExactly("GET /stripe-emulator/v1/payment_intents/pi_1",
                "GET /stripe-emulator/v1/payment_intents/pi_1", "GET /stripe-emulator/v1/payment_intents/pi_1");

        statuses.add(429);
        assertThat(stripe.events("sk_test_x").path("id").asText()).isEqualTo("pi_1");
    }

    @Test
    void aRefusedServerReadFailsTheTest() {
        statuses.add(401);
        assertThatThrownBy(() -> stripe.intent("pi_1", "sk_wrong")).isInstanceOf(AssertionError.class)
                .hasMessageContaining("401").hasMessageContaining("No such thing");
        statuses.add(500);
        assertThatThrownBy(() -> stripe.events("sk_test_x")).isInstanceOf(AssertionError.class).hasMessageContaining("500");
    }

    private void answer(HttpExchange exchange) throws IOException {
        asked.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
        Integer next = statuses.poll();
        int status = next == null ? 200 : next;
        byte[] body = (status == 200 ? "{\"id\":\"pi_1\"}" : "{\"error\":{\"message\":\"No such thing\"}}").getBytes(UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
