package dev.ticketing.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.time.Instant;

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
    void processingOutlivesTheHoldThenSettles() throws InterruptedException {
        JsonNode event = createEvent(null, false, "General", 2500, 10);
        String buyer = buyer();
        PendingPayment order = reserveOne(event, buyer, 2);
        StripeBuyer stripe = stripeBuyer();
        stripe.confirm(order.intentId, order.clientSecret, "pm_card_processing");
        awaitOrder(order.orderId, buyer, "PAYMENT_PROCESSING");

        Thread.sleep(Duration.between(Instant.now(), order.expiresAt.plusSeconds(2)).toMillis());
        assertThat(api.get("/api/v1/orders/" + order.orderId, buyer).body().path("status").asText())
                .as("no expiry while Stripe settles").isEqualTo("PAYMENT_PROCESSING");

        stripe.settle(order.intentId, "succeeded");
        assertThat(awaitOrder(order.orderId, buyer, "CONFIRMED").path("tickets")).hasSize(2);
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

    private int eventsOfType(String aggregateId, String simpleName) {
        return jdbc.queryForObject("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ? "
                + "AND payloadtype LIKE ?", Integer.class, aggregateId, "%." + simpleName);
    }
}
