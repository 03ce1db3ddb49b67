package dev.ticketing.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticketing.platform.testing.ApiClient;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Stripe's webhooks: only signed ones count, and any number of deliveries in any order give one outcome. */
class WebhookDeliveryTest extends StandaloneOnPostgres {

    private static final String WEBHOOK_SECRET = "whsec_standin";

    @Test
    void everyWebhookDeliveredThreeTimesInReverseOrderConfirmsOnceAndBooksOnce() {
        JsonNode event = createEvent(null, false, "General", 2500, 10);
        String eventId = event.path("eventId").asText();
        String buyer = buyer();
        String orderId = reserve(buyer, eventId, tierId(event, 0), 2).body().path("orderId").asText();
        JsonNode payment = awaitPayment(orderId, buyer);
        String intentId = payment.path("paymentIntentId").asText();
        StripeBuyer stripe = stripeBuyer();

        stripe.holdWebhooks();
        try {
            assertThat(stripe.confirm(intentId, payment.path("clientSecret").asText(), "pm_card_visa").status())
                    .isEqualTo(200);
            List<String> ofThisPayment = new ArrayList<>();
            for (JsonNode stripeEvent : stripe.events("sk_test_standin").path("data")) { // newest first
                String object = stripeEvent.path("data").path("object").path("id").asText();
                String intent = stripeEvent.path("data").path("object").path("payment_intent").asText();
                if (object.equals(intentId) || intent.equals(intentId)) {
                    ofThisPayment.add(stripeEvent.path("id").asText());
                }
            }
            assertThat(ofThisPayment).hasSizeGreaterThanOrEqualTo(3); // succeeded, charge.succeeded, charge.updated
            for (int round = 0; round < 3; round++) {
                ofThisPayment.forEach(stripe::resend);
            }
        } finally {
            stripe.releaseWebhooks();
        }

        awaitOrder(orderId, buyer, "CONFIRMED");
        await().atMost(Duration.ofSeconds(20)).until(() -> api.get("/api/v1/ledger/entries?orderId=" + orderId, AUDITOR)
                .body().size() == 2);
        // give stragglers time, then count: one confirmation, one revenue entry, one fee entry
        await().pollDelay(Duration.ofSeconds(2)).until(() -> true);
        assertThat(eventsOfType(eventId, "OrderConfirmed")).isEqualTo(1);
        assertThat(eventsOfType(orderId, "StripeFeeRecorded")).as("on the order's payment stream").isEqualTo(1);
        JsonNode entries = api.get("/api/v1/ledger/entries?orderId=" + orderId, AUDITOR).body();
        assertThat(entries).hasSize(2);
        assertThat(awaitAvailability(eventId, 0, 2).path("available").asInt()).isEqualTo(8);
    }

    @Test
    void forgedStaleAndMissingSignaturesAreRefusedAndChangeNothing() {
        String payload = "{\"id\":\"evt_forged\",\"object\":\"event\",\"api_version\":\"2026-05-27.dahlia\","
                + "\"created\":" + Instant.now().getEpochSecond() + ",\"type\":\"payment_intent.succeeded\","
                + "\"data\":{\"object\":{\"id\":\"pi_forged\",\"object\":\"payment_intent\",\"status\":\"succeeded\"}}}";
        long before = storedEvents();
        long webhooksBefore = jdbc.queryForObject("SELECT count(*) FROM stripe_webhook_events", Long.class);

        assertRefused(payload, signature(payload, "whsec_someone_else", Instant.now()));
        assertRefused(payload, signature(payload, WEBHOOK_SECRET, Instant.now().minus(Duration.ofMinutes(10))));
        assertRefused(payload, null);
        assertRefused(payload, "t=123,v1=deadbeef");
        assertRefused("not json", signature("not json", WEBHOOK_SECRET, Instant.now()));

        assertThat(storedEvents()).isEqualTo(before);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM stripe_webhook_events", Long.class)).isEqualTo(webhooksBefore);

        // the same payload, properly signed, is accepted (and ignored: no order of ours)
        ApiClient.Response accepted = postWebhook(payload, signature(payload, WEBHOOK_SECRET, Instant.now()));
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
    }

    @Test
    void unknownEventTypesAreAcknowledgedAndIgnored() {
        String payload = "{\"id\":\"evt_unknown_" + System.nanoTime() + "\",\"object\":\"event\",\"api_version\":\"2026-05-27.dahlia\","
                + "\"created\":" + Instant.now().getEpochSecond() + ",\"type\":\"customer.created\","
                + "\"data\":{\"object\":{\"id\":\"cus_1\",\"object\":\"customer\"}}}";
        long before = storedEvents();
        ApiClient.Response response = postWebhook(payload, signature(payload, WEBHOOK_SECRET, Instant.now()));
        assertThat(response.status()).isEqualTo(200);
        assertThat(storedEvents()).isEqualTo(before);
    }

    private void assertRefused(String payload, String signature) {
        ApiClient.Response response = postWebhook(payload, signature);
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("INVALID_SIGNATURE");
        assertThat(response.contentType()).startsWith("application/problem+json");
    }

    private ApiClient.Response postWebhook(String payload, String signature) {
        return api.post("/api/v1/stripe/webhook", null, payload,
                signature == null ? Map.of() : Map.of("Stripe-Signature", signature));
    }

    private int eventsOfType(String aggregateId, String simpleName) {
        return jdbc.queryForObject("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ? "
                + "AND payloadtype LIKE ?", Integer.class, aggregateId, "%." + simpleName);
    }

    static String signature(String payload, String secret, Instant at) {
        try {
            long t = at.getEpochSecond();
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String v1 = HexFormat.of().formatHex(mac.doFinal((t + "." + payload).getBytes(StandardCharsets.UTF_8)));
            return "t=" + t + ",v1=" + v1;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
