package dev.ticketing.standalone;

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
import java.util.stream.Collectors;

/**
 * What a buyer's browser does with Stripe.js against the stand-in: confirm a payment intent with
 * the publishable key and the client secret; plus the stand-in's test controls. Like the checkout
 * page, it waits and tries again when Stripe answers 429 (the stand-in keeps Stripe's rate limits),
 * and counts how often it had to.
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
        Answer answer = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            answer = post("/v1/payment_intents/" + paymentIntentId + "/confirm",
                    Map.of("payment_method", paymentMethod, "client_secret", clientSecret), true);
            if (answer.status() != 429) {
                return answer;
            }
            RATE_LIMITED.incrementAndGet();
            pause(250L << attempt);
        }
        return answer;
    }

    /** What the stand-in has been asked since it started: {@code total}, {@code rateLimited}, by endpoint. */
    JsonNode requests() {
        return send(HttpRequest.newBuilder(URI.create(stripeBase + "/test/requests")).GET()).body();
    }

    /** A charge's dispute, as a cardholder's bank opens one. */
    void dispute(String chargeId) {
        post("/test/charges/" + chargeId + "/dispute", Map.of(), false);
    }

    /** A payment intent as Stripe has it now (server side, secret key). */
    JsonNode intent(String paymentIntentId, String secretKey) {
        return send(HttpRequest.newBuilder(URI.create(stripeBase + "/v1/payment_intents/" + paymentIntentId))
                .header("Authorization", "Bearer " + secretKey).GET()).body();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    void settle(String paymentIntentId, String outcome) {
        post("/test/payment_intents/" + paymentIntentId + "/settle", Map.of("outcome", outcome), false);
    }

    void holdWebhooks() {
        post("/test/webhooks/hold", Map.of(), false);
    }

    void releaseWebhooks() {
        post("/test/webhooks/release", Map.of(), false);
    }

    /** Sends what was held newest first; returns how many deliveries were released. */
    int releaseWebhooksNewestFirst() {
        Answer answer = post("/test/webhooks/release?order=reverse", Map.of(), false);
        if (answer.status() != 200) {
            throw new AssertionError("release newest first: " + answer.status() + " " + answer.body());
        }
        return answer.body().path("released").asInt();
    }

    void resend(String stripeEventId) {
        post("/test/events/" + stripeEventId + "/resend", Map.of(), false);
    }

    /** The stand-in's event list, newest first, as Stripe lists them (server side, secret key). */
    JsonNode events(String secretKey) {
        return send(HttpRequest.newBuilder(URI.create(stripeBase + "/v1/events?limit=100"))
                .header("Authorization", "Bearer " + secretKey).GET()).body();
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
            return new Answer(response.statusCode(), response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
