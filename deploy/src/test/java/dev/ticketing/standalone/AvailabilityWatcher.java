package dev.ticketing.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A browser's view of an availability stream over real HTTP: a thread of its own reads the
 * Server-Sent Events line by line and keeps each {@code availability} event with the time it
 * arrived, and counts the heartbeats (comment lines).
 */
public final class AvailabilityWatcher implements AutoCloseable {

    public record Push(JsonNode body, long receivedNanos) {
        public int reserved() {
            return body.path("reserved").asInt();
        }
    }

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpResponse<Stream<String>> response;
    private final BlockingQueue<Push> pushes = new LinkedBlockingQueue<>();
    private final AtomicInteger heartbeats = new AtomicInteger();
    private final Thread reader;

    private AvailabilityWatcher(HttpResponse<Stream<String>> response) {
        this.response = response;
        this.reader = new Thread(this::read, "watcher-" + response.uri().getPath());
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /** Connects, and returns once the response's headers are in (the stream is then open). */
    public static AvailabilityWatcher watch(int port, String eventId) {
        try {
            HttpResponse<Stream<String>> response = HTTP.send(request(port, eventId), HttpResponse.BodyHandlers.ofLines());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                    assertThat(type).startsWith("text/event-stream"));
            return new AvailabilityWatcher(response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static HttpRequest request(int port, String eventId) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/events/" + eventId
                + "/availability/stream")).header("Accept", "text/event-stream").GET().build();
    }

    private void read() {
        String event = null;
        List<String> data = new ArrayList<>();
        try (Stream<String> lines = response.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if ("availability".equals(event) && !data.isEmpty()) {
                        pushes.add(new Push(JSON.readTree(String.join("\n", data)), System.nanoTime()));
                    }
                    event = null;
                    data.clear();
                } else if (line.startsWith(":")) {
                    heartbeats.incrementAndGet();
                } else if (line.startsWith("event:")) {
                    event = value(line);
                } else if (line.startsWith("data:")) {
                    data.add(value(line));
                }
            }
        } catch (Exception closedOrInterrupted) {
            // the test hung up
        }
    }

    private static String value(String line) {
        String value = line.substring(line.indexOf(':') + 1);
        return value.startsWith(" ") ? value.substring(1) : value;
    }

    /** The next availability event, failing if none arrives within {@code max}. */
    public Push next(Duration max) {
        try {
            Push push = pushes.poll(max.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(push).as("an availability event within " + max).isNotNull();
            return push;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public JsonNode nextBody() {
        return next(Duration.ofSeconds(10)).body();
    }

    /** Fails if an availability event arrives within {@code quiet}. */
    void assertNothingWithin(Duration quiet) {
        try {
            Push push = pushes.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(push).as("no availability event").isNull();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    int heartbeats() {
        return heartbeats.get();
    }

    /** Hangs up, as a browser tab that is closed. */
    @Override
    public void close() {
        response.body().close();
        reader.interrupt();
    }
}
