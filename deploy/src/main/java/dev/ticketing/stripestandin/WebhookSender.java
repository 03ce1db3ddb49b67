package dev.ticketing.stripestandin;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Delivers events as Stripe does: a POST of the event's JSON signed with
 * {@code Stripe-Signature: t=<seconds>,v1=<HMAC-SHA256 of "t.payload">}, sent in the order the
 * events were created, and retried with backoff when the receiver fails while later events keep
 * flowing (so, as with Stripe, a retried event can arrive after later ones). Deliveries can be
 * held and released, to reproduce late and bunched webhooks; released newest first, to reproduce
 * events arriving in the reverse of the order they happened, which Stripe does not rule out.
 */
class WebhookSender implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
    private static final Duration FIRST_RETRY_DELAY = Duration.ofMillis(500);
    private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(10);
    /** Stripe keeps trying for days; an hour outlasts any restart of the app during a test or a demo. */
    private static final Duration RETRY_PERIOD = Duration.ofHours(1);

    private final Supplier<String> url;
    private final SecretKeySpec signingKey;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** One thread, so first attempts leave in the order they were handed over. */
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "stripe-standin-webhooks");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Delivery> held = new ArrayList<>();
    private boolean holding;

    private record Delivery(String eventId, String payload) {
    }

    /** @param url where to deliver, asked at each delivery (the app's own port is known only once it runs) */
    WebhookSender(Supplier<String> url, String secret) {
        this.url = url;
        this.signingKey = new SecretKeySpec(secret.getBytes(UTF_8), "HmacSHA256");
    }

    synchronized void send(String eventId, String payload) {
        Delivery delivery = new Delivery(eventId, payload);
        if (holding) {
            held.add(delivery);
        } else {
            start(delivery);
        }
    }

    /** Deliveries from now on wait for {@link #release()}. */
    synchronized void hold() {
        holding = true;
    }

    /**
     * Sends what waited, in the order it was held or newest first, and delivers at once again;
     * returns how many waited.
     */
    synchronized int release(boolean newestFirst) {
        holding = false;
        if (newestFirst) {
            Collections.reverse(held);
        }
        held.forEach(this::start);
        int released = held.size();
        held.clear();
        return released;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private void start(Delivery delivery) {
        executor.execute(() -> attempt(delivery, 1, Instant.now().plus(RETRY_PERIOD)));
    }

    private void attempt(Delivery delivery, int attempt, Instant retryUntil) {
        String failure;
        try {
            HttpResponse<Void> response = http.send(signed(delivery.payload()), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 == 2) {
                return;
            }
            failure = "status " + response.statusCode();
        } catch (IOException | RuntimeException e) {
            failure = e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        Duration delay = FIRST_RETRY_DELAY.multipliedBy(1L << Math.min(attempt - 1, 20));
        delay = delay.compareTo(MAX_RETRY_DELAY) > 0 ? MAX_RETRY_DELAY : delay;
        if (Instant.now().plus(delay).isAfter(retryUntil)) {
            log.warn("Webhook {} not delivered after {} attempts ({}); giving up", delivery.eventId(), attempt, failure);
            return;
        }
        log.info("Webhook {} attempt {} failed ({}); retrying in {} ms", delivery.eventId(), attempt, failure, delay.toMillis());
        executor.schedule(() -> attempt(delivery, attempt + 1, retryUntil), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Signed at each attempt, so a retry's timestamp is within the receiver's tolerance. */
    private HttpRequest signed(String payload) {
        long timestamp = Instant.now().getEpochSecond();
        return HttpRequest.newBuilder(URI.create(url.get()))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)")
                .header("Stripe-Signature", "t=" + timestamp + ",v1=" + hmac(timestamp + "." + payload))
                .POST(HttpRequest.BodyPublishers.ofString(payload, UTF_8))
                .build();
    }

    private String hmac(String signedPayload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(signingKey);
            return HexFormat.of().formatHex(mac.doFinal(signedPayload.getBytes(UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
