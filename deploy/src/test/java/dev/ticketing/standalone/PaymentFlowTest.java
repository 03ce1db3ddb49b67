package dev.ticketing.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticketing.platform.testing.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Paying for orders through the real stripe-java client against the Stripe stand-in. */
@ExtendWith(OutputCaptureExtension.class)
class PaymentFlowTest extends StandaloneOnPostgres {

    @Test
    void payAndConfirmAMultiTierOrder(CapturedOutput output) {
        JsonNode event = createEvent(500, false, "General", 2500, 400, "VIP", 9000, 150);
        String eventId = event.path("eventId").asText();
        String buyer = buyer();
        String orderId = reserve(buyer, eventId, tierId(event, 0), 2, tierId(event, 1), 1).body().path("orderId").asText();

        assertThat(api.get("/api/v1/orders/" + orderId, buyer).body().path("payment").isNull())
                .as("no payment before the buyer starts to pay").isTrue();
        JsonNode payment = awaitPayment(orderId, buyer);
        String intentId = payment.path("paymentIntentId").asText();
        String clientSecret = payment.path("clientSecret").asText();
        assertThat(intentId).startsWith("pi_");
        assertThat(clientSecret).startsWith(intentId + "_secret_");
        ApiClient.Response stranger = api.post("/api/v1/orders/" + orderId + "/payment", buyer(), Map.of());
        assertThat(stranger.code()).isEqualTo("FORBIDDEN");
        // asked again (a retry, a double click, the first version's GET): the same intent, never a second one
        assertThat(awaitPayment(orderId, buyer)).isEqualTo(payment);
        ApiClient.Response asBefore = api.get("/api/v1/orders/" + orderId + "/payment", buyer);
        assertThat(asBefore.status()).isEqualTo(200);
        assertThat(asBefore.body()).isEqualTo(payment);
        assertThat(api.get("/api/v1/orders/" + orderId + "/payment", buyer()).code()).isEqualTo("FORBIDDEN");

        assertThat(stripeBuyer().confirm(intentId, clientSecret, "pm_card_visa").status()).isEqualTo(200);

        JsonNode confirmed = awaitOrder(orderId, buyer, "CONFIRMED");
        assertThat(confirmed.path("payment").path("paymentIntentId").asText()).isEqualTo(intentId);
        assertThat(confirmed.path("payment").path("status").asText()).isEqualTo("succeeded");
        assertThat(confirmed.path("tickets")).hasSize(3);
        Set<String> codes = new HashSet<>();
        confirmed.path("tickets").forEach(ticket -> codes.add(ticket.path("code").asText()));
        assertThat(codes).hasSize(3).allSatisfy(code -> assertThat(code).isNotBlank());
        JsonNode sold = awaitAvailability(eventId, 0, 3);
        assertThat(sold.path("tiers").get(0).path("sold").asInt()).isEqualTo(2);
        assertThat(sold.path("available").asInt()).isEqualTo(497);

        // the ledger: 14000 of revenue, Stripe's fee of 2.9% + 30 = 436 from the balance transaction
        await().atMost(Duration.ofSeconds(20)).until(() -> entriesOf(orderId).size() == 2);
        assertThat(balanceOfEntries(orderId, "ticket_revenue:" + eventId)).isEqualTo(-14000);
        assertThat(balanceOfEntries(orderId, "stripe_fees")).isEqualTo(436);
        assertThat(balanceOfEntries(orderId, "stripe_clearing")).isEqualTo(14000 - 436);
        long sum = 0;
        for (JsonNode account : api.get("/api/v1/ledger/accounts", AUDITOR).body()) {
            sum += account.path("balanceCents").asLong();
        }
        assertThat(sum).isZero();

        // the client secret is fetched on demand: never stored, never logged
        Integer stored = jdbc.queryForObject("SELECT count(*) FROM domainevententry WHERE position(convert_to(?, 'UTF8') in payload) > 0 "
                + "OR position(convert_to(?, 'UTF8') in metadata) > 0", Integer.class, clientSecret, clientSecret);
        assertThat(stored).isZero();
        assertThat(output.getAll()).doesNotContain(clientSecret).doesNotContain("sk_test_standin");
    }

    @Test
    void aDeclinedCardLeavesTheOrderReservedWithTheErrorAndTheBuyerRetries() {
        JsonNode event = createEvent(null, false, "General", 2500, 10);
        String buyer = buyer();
        String orderId = reserve(buyer, event.path("eventId").asText(), tierId(event, 0), 1).body().path("orderId").asText();
        JsonNode payment = awaitPayment(orderId, buyer);
        StripeBuyer stripe = stripeBuyer();

        StripeBuyer.Answer declined = stripe.confirm(payment.path("paymentIntentId").asText(),
                payment.path("clientSecret").asText(), "pm_card_chargeDeclined");
        assertThat(declined.status()).isEqualTo(402);
        await().atMost(Duration.ofSeconds(20)).until(() -> !api.get("/api/v1/orders/" + orderId, buyer).body()
                .path("payment").path("lastError").isNull());
        JsonNode failed = api.get("/api/v1/orders/" + orderId, buyer).body();
        assertThat(failed.path("status").asText()).isEqualTo("RESERVED");
        assertThat(failed.path("payment").path("lastError").asText()).isNotBlank();

        assertThat(stripe.confirm(payment.path("paymentIntentId").asText(), payment.path("clientSecret").asText(),
                "pm_card_visa").status()).isEqualTo(200);
        JsonNode confirmed = awaitOrder(orderId, buyer, "CONFIRMED");
        assertThat(confirmed.path("payment").path("lastError").isNull()).isTrue();
    }

    @Test
    void anOrganiserRefundVoidsTheTicketsAndPutsTheSeatsBackOnSale() {
        JsonNode event = createEvent(2, false, "General", 2500, 2);
        String eventId = event.path("eventId").asText();
        String buyer = buyer();
        String orderId = reserve(buyer, eventId, tierId(event, 0), 2).body().path("orderId").asText();

        ApiClient.Response tooEarly = api.post("/api/v1/orders/" + orderId + "/refund", ORGANIZER, Map.of());
        assertThat(tooEarly.status()).isEqualTo(409);
        assertThat(tooEarly.code()).isEqualTo("ORDER_NOT_REFUNDABLE");

        JsonNode payment = awaitPayment(orderId, buyer);
        stripeBuyer().confirm(payment.path("paymentIntentId").asText(), payment.path("clientSecret").asText(), "pm_card_visa");
        awaitOrder(orderId, buyer, "CONFIRMED");
        awaitAvailability(eventId, 0, 2);

        ApiClient.Response byBuyer = api.post("/api/v1/orders/" + orderId + "/refund", buyer, Map.of());
        assertThat(byBuyer.status()).isEqualTo(403);
        ApiClient.Response refund = api.post("/api/v1/orders/" + orderId + "/refund", ORGANIZER, Map.of());
        assertThat(refund.status()).as(refund.toString()).isEqualTo(202);

        JsonNode refunded = awaitOrder(orderId, buyer, "REFUNDED");
        assertThat(refunded.path("tickets")).hasSize(2).allSatisfy(ticket ->
                assertThat(ticket.path("void").asBoolean()).isTrue());
        assertThat(awaitAvailability(eventId, 0, 0).path("available").asInt()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(20)).until(() -> entriesOf(orderId).size() == 3);
        assertThat(balanceOfEntries(orderId, "refunds:" + eventId)).isEqualTo(5000);
        assertThat(reserve(buyer(), eventId, tierId(event, 0), 2).status()).isEqualTo(201);
    }
}
