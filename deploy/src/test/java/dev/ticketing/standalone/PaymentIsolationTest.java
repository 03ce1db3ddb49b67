package dev.ticketing.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticketing.platform.testing.ApiClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One order Stripe will never take, or never refund, ends its own payment with the reason for all
 * to see, and holds up no other order's payment.
 */
class PaymentIsolationTest extends StandaloneOnPostgres {

    /** The most Stripe charges at once is 999,999.99 USD: two of these are more. */
    private static final long MOST_STRIPE_CHARGES = 99_999_999;

    @Test
    void aFreeOrderAndAnOrderStripeRefusesHoldUpNoOtherPayment() {
        JsonNode rsvp = createEvent(null, false, "RSVP", 0, 10);
        String freeBuyer = buyer();
        ApiClient.Response free = reserve(freeBuyer, rsvp.path("eventId").asText(), tierId(rsvp, 0), 1);
        assertThat(free.body().path("status").asText()).isEqualTo("CONFIRMED");

        JsonNode gala = createEvent(null, false, "Patron", MOST_STRIPE_CHARGES, 10);
        String galaId = gala.path("eventId").asText();
        String patron = buyer();
        String refusedOrder = reserve(patron, galaId, tierId(gala, 0), 2).body().path("orderId").asText();
        ApiClient.Response refusal = api.post("/api/v1/orders/" + refusedOrder + "/payment", patron, Map.of());
        assertThat(refusal.status()).as(refusal.toString()).isEqualTo(409);
        assertThat(refusal.contentType()).startsWith("application/problem+json");
        assertThat(refusal.code()).isEqualTo("PAYMENT_UNAVAILABLE");
        assertThat(refusal.body().path("detail").asText()).contains("Stripe cannot take this payment")
                .contains("nothing was charged");

        // ordinary orders of other events pay and confirm as if nothing happened
        List<String[]> paid = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JsonNode event = createEvent(null, false, "General", 2500, 10);
            String buyer = buyer();
            String orderId = reserve(buyer, event.path("eventId").asText(), tierId(event, 0), 1).body()
                    .path("orderId").asText();
            JsonNode payment = awaitPayment(orderId, buyer);
            assertThat(stripeBuyer().confirm(payment.path("paymentIntentId").asText(),
                    payment.path("clientSecret").asText(), "pm_card_visa").status()).isEqualTo(200);
            paid.add(new String[] {orderId, buyer});
        }
        paid.forEach(order -> awaitOrder(order[0], order[1], "CONFIRMED"));

        // the refused order shows why, its seats are back on sale, and an auditor finds the reason
        JsonNode refused = awaitOrder(refusedOrder, patron, "CANCELLED");
        assertThat(refused.path("payment").path("status").asText()).isEqualTo("refused");
        assertThat(refused.path("payment").path("lastError").asText()).contains("Stripe cannot take this payment");
        assertThat(awaitAvailability(galaId, 0, 0).path("available").asInt()).isEqualTo(10);
        JsonNode stored = api.get("/api/v1/audit/events?aggregateId=" + galaId, AUDITOR).body();
        JsonNode last = stored.get(stored.size() - 1);
        assertThat(last.path("type").asText()).isEqualTo("dev.ticketing.api.payment.PaymentRefused");
        assertThat(last.path("payload").path("code").asText()).isEqualTo("amount_too_large");
        assertThat(last.path("payload").path("reason").asText()).contains("Stripe cannot take this payment");
    }

    @Test
    void aRefundStripeRefusesIsShownAndTheOtherRefundsGoOn() {
        JsonNode event = createEvent(null, false, "General", 2500, 10);
        String eventId = event.path("eventId").asText();
        String disputedBuyer = buyer();
        String disputed = payFor(eventId, tierId(event, 0), disputedBuyer);
        String otherBuyer = buyer();
        String other = payFor(eventId, tierId(event, 0), otherBuyer);
        String intent = api.get("/api/v1/orders/" + disputed, disputedBuyer).body().path("payment")
                .path("paymentIntentId").asText();
        stripeBuyer().dispute(stripeBuyer().intent(intent, "sk_test_standin").path("latest_charge").asText());

        assertThat(api.post("/api/v1/orders/" + disputed + "/refund", ORGANIZER, Map.of()).status()).isEqualTo(202);
        assertThat(api.post("/api/v1/orders/" + other + "/refund", ORGANIZER, Map.of()).status()).isEqualTo(202);

        awaitOrder(other, otherBuyer, "REFUNDED");
        await().atMost(Duration.ofSeconds(20)).until(() -> api.get("/api/v1/orders/" + disputed, ORGANIZER).body()
                .path("payment").path("status").asText().equals("refund_refused"));
        JsonNode stillSold = api.get("/api/v1/orders/" + disputed, ORGANIZER).body();
        assertThat(stillSold.path("status").asText()).isEqualTo("CONFIRMED");
        assertThat(stillSold.path("payment").path("lastError").asText()).contains("Stripe refused the refund");
    }

    /** A confirmed order of one ticket, paid with the test Visa. */
    private String payFor(String eventId, String tierId, String buyer) {
        String orderId = reserve(buyer, eventId, tierId, 1).body().path("orderId").asText();
        JsonNode payment = awaitPayment(orderId, buyer);
        stripeBuyer().confirm(payment.path("paymentIntentId").asText(), payment.path("clientSecret").asText(),
                "pm_card_visa");
        awaitOrder(orderId, buyer, "CONFIRMED");
        return orderId;
    }
}
