package dev.ticketing.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticketing.platform.testing.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Stripe's webhooks: only signed ones count, and any number of deliveries in any order give one outcome. */
@ExtendWith(OutputCaptureExtension.class)
class WebhookDeliveryTest extends StandaloneOnPostgres {

    private static final String WEBHOOK_SECRET = "whsec_standin";
    /** PaymentWebhooks' line for each delivery it answers. */
    private static final Pattern DELIVERY_LOGGED = Pattern.compile("Stripe event (evt_\\w+) \\([\\w.]+\\): (.+)");

    @Test
    void everyWebhookDeliveredThreeTimesInReverseOrderConfirmsOnceAndBooksOnce(CapturedOutput output) {
        JsonNode event = createEvent(null, false, "General", 2500, 10);
        String eventId = event.path("eventId").asText();
        String buyer = buyer();
        String orderId = reserve(buyer, eventId, tierId(event, 0), 2).body().path("orderId").asText();
        JsonNode payment = awaitPayment(orderId, buyer);
        String intentId = payment.path("paymentIntentId").asText();
        StripeBuyer stripe = stripeBuyer();

        String succeeded;
        String feeKnown;
        int released;
        stripe.holdWebhooks();
        try {
            assertThat(stripe.confirm(intentId, payment.path("clientSecret").asText(), "pm_card_visa").status())
                    .isEqualTo(200);
            succeeded = stripeEventOf(stripe, intentId, "payment_intent.succeeded");
            feeKnown = stripeEventOf(stripe, intentId, "charge.updated");
            // oldest first, so that the newest-first release sends the fee before the payment every round
            for (int round = 0; round < 3; round++) {
                stripe.resend(succeeded);
                stripe.resend(feeKnown);
            }
        } finally {
            released = stripe.releaseWebhooksNewestFirst();
        }
        assertThat(released).as("the two webhooks Stripe sent, and three more rounds of them").isEqualTo(8);

        // the app's first word of the payment was the fee; it recorded each Stripe event once, the fee first
        await().atMost(Duration.ofSeconds(20)).until(() -> handledStripeEvents(succeeded, feeKnown).size() == 2);
        assertThat(handledStripeEvents(succeeded, feeKnown)).containsExactly(feeKnown, succeeded);
        // every delivery was answered, newest first: the fee booked, the payment confirmed, then duplicates only
        await().atMost(Duration.ofSeconds(20)).until(() -> deliveriesLogged(output, succeeded, feeKnown).size() == 8);
        long fee = 175; // 2.9 % of 5000, plus 30
        assertThat(deliveriesLogged(output, succeeded, feeKnown)).containsExactly(
                feeKnown + " fee " + fee, succeeded + " confirmed",
                feeKnown + " duplicate", succeeded + " duplicate", feeKnown + " duplicate", succeeded + " duplicate",
                feeKnown + " duplicate", succeeded + " duplicate");

        // the fee was recorded (on the order's payment stream) before the order was confirmed (on the event's),
        // once each, each caused by its own Stripe event
        JsonNode feeRecorded = theOne(auditedEvents(orderId), "StripeFeeRecorded");
        JsonNode confirmed = theOne(auditedEventsOf(eventId, orderId), "OrderConfirmed");
        assertThat(feeRecorded.path("globalIndex").asLong()).as("the fee first")
                .isLessThan(confirmed.path("globalIndex").asLong());
        assertThat(feeRecorded.path("metadata").path("correlationId").asText()).isEqualTo(feeKnown);
        assertThat(feeRecorded.path("payload").path("feeCents").asLong()).isEqualTo(fee);
        assertThat(confirmed.path("metadata").path("correlationId").asText()).isEqualTo(succeeded);

        assertThat(awaitOrder(orderId, buyer, "CONFIRMED").path("tickets")).hasSize(2);
        await().atMost(Duration.ofSeconds(20)).until(() -> entriesOf(orderId).size() == 2);
        assertThat(balanceOfEntries(orderId, "stripe_clearing")).isEqualTo(5000 - fee);
        assertThat(balanceOfEntries(orderId, "stripe_fees")).isEqualTo(fee);
        assertThat(balanceOfEntries(orderId, "ticket_revenue:" + eventId)).isEqualTo(-5000);
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

    /** The id of this payment intent's one event of that type, as Stripe lists them. */
    private static String stripeEventOf(StripeBuyer stripe, String intentId, String type) {
        List<String> found = new ArrayList<>();
        for (JsonNode stripeEvent : stripe.events("sk_test_standin").path("data")) {
            JsonNode object = stripeEvent.path("data").path("object");
            boolean ofThisPayment = object.path("id").asText().equals(intentId)
                    || object.path("payment_intent").asText().equals(intentId);
            if (ofThisPayment && stripeEvent.path("type").asText().equals(type)) {
                found.add(stripeEvent.path("id").asText());
            }
        }
        assertThat(found).as(type + " of " + intentId).hasSize(1);
        return found.get(0);
    }

    /** Of these Stripe events, the ones the app recorded as handled, in the order it handled them. */
    private List<String> handledStripeEvents(String... stripeEventIds) {
        return jdbc.queryForList("SELECT event_id FROM stripe_webhook_events WHERE event_id = ANY (?) "
                + "ORDER BY received_at", String.class, (Object) stripeEventIds);
    }

    /** The app's log of each delivery of these Stripe events, in the order received: "id outcome". */
    private static List<String> deliveriesLogged(CapturedOutput output, String... stripeEventIds) {
        List<String> ids = List.of(stripeEventIds);
        List<String> deliveries = new ArrayList<>();
        Matcher line = DELIVERY_LOGGED.matcher(output.getAll());
        while (line.find()) {
            if (ids.contains(line.group(1))) {
                deliveries.add(line.group(1) + " " + line.group(2));
            }
        }
        return deliveries;
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
