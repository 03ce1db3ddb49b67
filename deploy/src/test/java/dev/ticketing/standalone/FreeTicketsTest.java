package dev.ticketing.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticketing.platform.testing.ApiClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Free tickets (RSVPs, comps) need no payment; an order with free and paid lines pays its paid part. */
class FreeTicketsTest extends StandaloneOnPostgres {

    @Test
    void aFreeOrderIsConfirmedAtOnceWithItsTicketsWithoutStripe() {
        JsonNode event = createEvent(null, false, "RSVP", 0, 100);
        String eventId = event.path("eventId").asText();
        String buyer = buyer();
        long stripeCalls = stripeBuyer().requests().path("total").asLong();

        ApiClient.Response order = reserve(buyer, eventId, tierId(event, 0), 2);
        assertThat(order.status()).as(order.toString()).isEqualTo(201);
        assertThat(order.body().path("status").asText()).isEqualTo("CONFIRMED");
        assertThat(order.body().path("totalCents").asLong()).isZero();
        assertThat(order.body().has("expiresAt")).isFalse();
        String orderId = order.body().path("orderId").asText();

        JsonNode confirmed = awaitOrder(orderId, buyer, "CONFIRMED");
        assertThat(confirmed.path("tickets")).hasSize(2);
        assertThat(confirmed.path("payment").isNull()).isTrue();
        assertThat(awaitAvailability(eventId, 0, 2).path("available").asInt()).isEqualTo(98);

        ApiClient.Response pay = api.post("/api/v1/orders/" + orderId + "/payment", buyer, Map.of());
        assertThat(pay.status()).as(pay.toString()).isEqualTo(409);
        assertThat(pay.code()).isEqualTo("ORDER_NOT_PAYABLE");
        assertThat(stripeBuyer().requests().path("total").asLong()).as("Stripe calls").isEqualTo(stripeCalls);
        assertThat(entriesOf(orderId)).as("no money moved").isEmpty();
    }

    @Test
    void aBuyerMayTakeFreeTicketsAgainAfterAFreeOrder() {
        JsonNode event = createEvent(null, false, "RSVP", 0, 100);
        String buyer = buyer();
        assertThat(reserve(buyer, event.path("eventId").asText(), tierId(event, 0), 1).status()).isEqualTo(201);
        assertThat(reserve(buyer, event.path("eventId").asText(), tierId(event, 0), 1).status()).isEqualTo(201);
    }

    @Test
    void aMixedOrderPaysItsPaidPart() {
        JsonNode event = createEvent(null, false, "RSVP", 0, 100, "Dinner", 2500, 20);
        String eventId = event.path("eventId").asText();
        String buyer = buyer();
        ApiClient.Response order = reserve(buyer, eventId, tierId(event, 0), 1, tierId(event, 1), 2);
        assertThat(order.body().path("status").asText()).isEqualTo("RESERVED");
        assertThat(order.body().path("totalCents").asLong()).isEqualTo(5000);
        String orderId = order.body().path("orderId").asText();

        JsonNode payment = awaitPayment(orderId, buyer);
        String intentId = payment.path("paymentIntentId").asText();
        assertThat(stripeBuyer().intent(intentId, "sk_test_standin").path("amount").asLong()).isEqualTo(5000);
        assertThat(stripeBuyer().confirm(intentId, payment.path("clientSecret").asText(), "pm_card_visa").status())
                .isEqualTo(200);

        assertThat(awaitOrder(orderId, buyer, "CONFIRMED").path("tickets")).hasSize(3);
        await().atMost(Duration.ofSeconds(20)).until(() -> entriesOf(orderId).size() == 2);
        assertThat(balanceOfEntries(orderId, "ticket_revenue:" + eventId)).isEqualTo(-5000);
    }

    @Test
    void anOrganiserRefundOfAFreeOrderVoidsItsTicketsAndFreesTheSeatsWithoutStripe() {
        JsonNode event = createEvent(2, false, "RSVP", 0, 2);
        String eventId = event.path("eventId").asText();
        String buyer = buyer();
        String orderId = reserve(buyer, eventId, tierId(event, 0), 2).body().path("orderId").asText();
        awaitOrder(orderId, buyer, "CONFIRMED");
        long stripeCalls = stripeBuyer().requests().path("total").asLong();

        assertThat(api.post("/api/v1/orders/" + orderId + "/refund", ORGANIZER, Map.of()).status()).isEqualTo(202);

        JsonNode refunded = awaitOrder(orderId, buyer, "REFUNDED");
        assertThat(refunded.path("tickets")).allSatisfy(ticket -> assertThat(ticket.path("void").asBoolean()).isTrue());
        assertThat(awaitAvailability(eventId, 0, 0).path("available").asInt()).isEqualTo(2);
        assertThat(stripeBuyer().requests().path("total").asLong()).as("Stripe calls").isEqualTo(stripeCalls);
    }
}
