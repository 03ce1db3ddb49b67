package dev.ticketing.standalone;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * What a buyer's browser does with Stripe.js against the stand-in: confirm a payment intent with
 * the publishable key and the client secret; plus the stand-in's test controls and a few
 * server-side reads. Like the checkout page and a server's client, it waits and tries again when
 * Stripe answers 429 (the stand-in keeps Stripe's rate limits), and counts how often it had to. A
 * control or a read answered with anything but a 2xx fails the test: a hold that did not take would
 * otherwise let the test go on as if it had.
 */
final class StripeBuyer {

    private static final int ATTEMPTS = 8;
    static final AtomicInteger RATE_LIMITED = new AtomicInteger();

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String stripeBase;
    private final String publishableKey;

    StripeBuyer(String stripeBase, String publishableKey) {
        this.stripeBase = stripeBase;
        this.publishableKey = publishableKey;
    }

    /** @return Stripe's answer: 200 with the intent, or 402 with the card error */
    Answer confirm(String paymentIntentId, String clientSecret, String paymentMethod) {
        return patiently(() -> post("/v1/payment_intents/" + paymentIntentId + "/confirm",
                Map.of("payment_method", paymentMethod, "client_secret", clientSecret), true));
    }

    /** What the stand-in has been asked since it started: {@code total}, {@code rateLimited}, by endpoint. */
    JsonNode requests() {
        return succeeded("GET /test/requests", send(HttpRequest.newBuilder(URI.create(stripeBase + "/test/requests")).GET()))
                .body();
    }

    /** A charge's dispute, as a cardholder's bank opens one. */
    void dispute(String chargeId) {
        control("/test/charges/" + chargeId + "/dispute", Map.of());
    }

    /** A payment intent as Stripe has it now (server side, secret key). */
    JsonNode intent(String paymentIntentId, String secretKey) {
        return serverRead("/v1/payment_intents/" + paymentIntentId, secretKey);
    }

    void settle(String paymentIntentId, String outcome) {
        control("/test/payment_intents/" + paymentIntentId + "/settle", Map.of("outcome", outcome));
    }

    void holdWebhooks() {
        control("/test/webhooks/hold", Map.of());
    }

    void releaseWebhooks() {
        control("/test/webhooks/release", Map.of());
    }

    /** Sends what was held newest first; returns how many deliveries were released. */
    int releaseWebhooksNewestFirst() {
        return control("/test/webhooks/release?order=reverse", Map.of()).body().path("released").asInt();
    }

    void resend(String stripeEventId) {
        control("/test/events/" + stripeEventId + "/resend", Map.of());
    }

    /** The stand-in's event list, newest first, as Stripe lists them (server side, secret key). */
    JsonNode events(String secretKey) {
        return serverRead("/v1/events?limit=100", secretKey);
    }

    private JsonNode serverRead(String path, String secretKey) {
        return succeeded("GET " + path, patiently(() -> send(HttpRequest.newBuilder(URI.create(stripeBase + path))
                .header("Authorization", "Bearer " + secretKey).GET()))).body();
    }

    private Answer control(String path, Map<String, String> form) {
        return succeeded("POST " + path, post(path, form, false));
    }

    private static Answer succeeded(String call, Answer answer) {
        if (answer.status() / 100 != 2) {
            throw new AssertionError("Stripe stand-in: " + call + " answered " + answer.status() + " " + answer.body());
        }
        return answer;
    }

    /** Asks again after a 429, waiting longer each time, until another answer or the attempts run out. */
    private static Answer patiently(Supplier<Answer> call) {
        Answer answer = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            answer = call.get();
            if (answer.status() != 429) {
                return answer;
            }
            RATE_LIMITED.incrementAndGet();
            pause(250L << attempt);
        }
        return answer;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    record Answer(int status, JsonNode body) {
    }

    private Answer post(String path, Map<String, String> form, boolean asBrowser) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stripeBase + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (asBrowser) {
            request.header("Authorization", "Bearer " + publishableKey);
        }
        return send(request);
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), body(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Kept as text when it is not JSON (an error page), so that a failure can show it. */
    private static JsonNode body(String body) {
        if (body.isBlank()) {
            return JSON.nullNode();
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException notJson) {
            return JSON.getNodeFactory().textNode(body);
        }
    }
}
