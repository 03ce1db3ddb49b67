package dev.ticketing.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Payments racing the clock, with short holds (4 s) and a short bound on how long Stripe may
 * settle (10 s): processing outlives the hold, late payments are honoured while seats are free
 * and refunded in full when they are not. Money is never kept without tickets.
 */
@TestPropertySource(properties = {"ticketing.reservation.timeout=PT4S", "ticketing.stripe.max-processing=PT10S"})
class PaymentTimingTest extends StandaloneOnPostgres {

    @Test
    void processingOutlivesTheHoldThenSettles() {
        JsonNode event = createEvent(null, false, "General", 2500, 10);
        String eventId = event.path("eventId").asText();
        String buyer = buyer();
        PendingPayment order = reserveOne(event, buyer, 2);
        StripeBuyer stripe = stripeBuyer();
        stripe.confirm(order.intentId, order.clientSecret, "pm_card_processing");
        awaitOrder(order.orderId, buyer, "PAYMENT_PROCESSING");

        Instant holdUntil = Instant.parse(theOne(auditedEventsOf(eventId, order.orderId), "PaymentProcessing")
                .path("payload").path("holdUntil").asText());
        assertThat(holdUntil).as("the hold, while Stripe settles").isAfter(order.expiresAt.plusSeconds(5));
        // the inventory's expiry ran when the hold would have ended, passed over it, and next runs at its new end
        JsonNode rescheduled = await("the expiry rescheduled for the end of processing").atMost(Duration.ofSeconds(20))
                .until(() -> expiryScheduledFor(eventId, holdUntil), Objects::nonNull);
        assertThat(Instant.parse(rescheduled.path("timestamp").asText())).isAfterOrEqualTo(order.expiresAt);
        assertThat(auditedEventsOf(eventId, order.orderId)).extracting(StandaloneOnPostgres::simpleType)
                .as("no expiry while Stripe settles").doesNotContain("ReservationExpired");
        assertThat(api.get("/api/v1/orders/" + order.orderId, buyer).body().path("status").asText())
                .isEqualTo("PAYMENT_PROCESSING");

        stripe.settle(order.intentId, "succeeded");
        assertThat(awaitOrder(order.orderId, buyer, "CONFIRMED").path("tickets")).hasSize(2);
        JsonNode confirmed = theOne(auditedEventsOf(eventId, order.orderId), "OrderConfirmed");
        assertThat(confirmed.path("payload").path("late").asBoolean()).as("confirmed on its hold, not late").isFalse();
        assertThat(confirmed.path("metadata").path("correlationId").asText()).as("caused by Stripe's word of success")
                .isEqualTo(stripeEventOf(stripe, order.intentId, "payment_intent.succeeded"));
    }

    @Test
    void aPaymentThatSucceededBeforeTheExpiryButWasReportedLateIsHonoured() {
        JsonNode event = createEvent(null, false, "General", 2500, 10);
        String eventId = event.path("eventId").asText();
        String buyer = buyer();
        PendingPayment order = reserveOne(event, buyer, 2);
        StripeBuyer stripe = stripeBuyer();
        stripe.holdWebhooks();
        try {
            assertThat(stripe.confirm(order.intentId, order.clientSecret, "pm_card_visa").status()).isEqualTo(200);
            // the hold times out before Stripe's word arrives; on expiry the saga finds the intent paid
            JsonNode confirmed = awaitOrder(order.orderId, buyer, "CONFIRMED");
            assertThat(confirmed.path("tickets")).hasSize(2);
        } finally {
            stripe.releaseWebhooks();
        }
        assertThat(awaitAvailability(eventId, 0, 2).path("available").asInt()).isEqualTo(8);
    }

    @Test
    void aLatePaymentForSeatsSoldMeanwhileIsRefundedInFull() {
        JsonNode event = createEvent(2, false, "General", 2500, 2);
        String eventId = event.path("eventId").asText();
        String late = buyer();
        PendingPayment order = reserveOne(event, late, 2);
        StripeBuyer stripe = stripeBuyer();
        stripe.confirm(order.intentId, order.clientSecret, "pm_card_processing");
        awaitOrder(order.orderId, late, "PAYMENT_PROCESSING");

        // Stripe takes longer than the bound: the hold ends, and someone else buys the seats
        awaitOrder(order.orderId, late, "EXPIRED");
        String other = buyer();
        assertThat(reserve(other, eventId, tierId(event, 0), 2).status()).isEqualTo(201);

        stripe.settle(order.intentId, "succeeded");
        JsonNode refunded = awaitOrder(order.orderId, late, "REFUNDED");
        assertThat(refunded.path("tickets")).isEmpty();
        await().atMost(Duration.ofSeconds(20)).until(() ->
                api.get("/api/v1/ledger/entries?orderId=" + order.orderId, AUDITOR).body().size() >= 2);
        assertThat(awaitAvailability(eventId, 2, 0).path("available").asInt()).isZero();
        assertThat(eventsOfType(eventId, "OrderConfirmed")).isZero();
    }

    private record PendingPayment(String orderId, String intentId, String clientSecret, Instant expiresAt) {
    }

    private PendingPayment reserveOne(JsonNode event, String buyer, int quantity) {
        JsonNode reserved = reserve(buyer, event.path("eventId").asText(), tierId(event, 0), quantity).body();
        String orderId = reserved.path("orderId").asText();
        JsonNode payment = awaitPayment(orderId, buyer);
        return new PendingPayment(orderId, payment.path("paymentIntentId").asText(), payment.path("clientSecret").asText(),
                Instant.parse(reserved.path("expiresAt").asText()));
    }

    /** The inventory's expiry scheduled for {@code at}, as stored, or null while it is not. */
    private JsonNode expiryScheduledFor(String eventId, Instant at) {
        return auditedEvents(eventId).stream()
                .filter(stored -> simpleType(stored).equals("HoldsExpiryScheduled"))
                .filter(stored -> !stored.path("payload").path("at").isNull()
                        && Instant.parse(stored.path("payload").path("at").asText()).equals(at))
                .findFirst().orElse(null);
    }

    /** The id of this payment intent's one Stripe event of that type. */
    private static String stripeEventOf(StripeBuyer stripe, String intentId, String type) {
        List<String> found = new ArrayList<>();
        for (JsonNode stripeEvent : stripe.events("sk_test_standin").path("data")) {
            if (stripeEvent.path("type").asText().equals(type)
                    && stripeEvent.path("data").path("object").path("id").asText().equals(intentId)) {
                found.add(stripeEvent.path("id").asText());
            }
        }
        assertThat(found).as(type + " of " + intentId).hasSize(1);
        return found.get(0);
    }

    private int eventsOfType(String aggregateId, String simpleName) {
        return jdbc.queryForObject("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ? "
                + "AND payloadtype LIKE ?", Integer.class, aggregateId, "%." + simpleName);
    }
}
