package dev.ticketing.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import java.io.IOException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every stored event says who caused it ({@code userId}: the buyer, the organiser, {@code stripe},
 * {@code system} for deadlines) and what ({@code causationId}, {@code correlationId}), so an
 * auditor can follow a Stripe webhook to the confirmation it caused.
 */
@TestPropertySource(properties = "ticketing.reservation.timeout=PT3S")
class EventMetadataTest extends StandaloneOnPostgres {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyEventCarriesWhoAndWhatCausedIt() throws IOException {
        JsonNode event = createEvent(null, false, "General", 2500, 10);
        String eventId = event.path("eventId").asText();
        JsonNode created = metadataOf(eventId, "EventInventoryCreated");
        assertThat(created.path("userId").asText()).isEqualTo("olga-organizer");
        assertThat(created.path("correlationId").asText()).isNotBlank();
        assertThat(created.path("causationId").asText()).isEqualTo(created.path("correlationId").asText());

        String buyer = buyer();
        String orderId = reserve(buyer, eventId, tierId(event, 0), 1).body().path("orderId").asText();
        assertThat(metadataOf(eventId, "TicketsReserved").path("userId").asText()).startsWith("buyer-");

        // no payment intent until the buyer starts to pay; then it is recorded as the buyer's doing
        assertThat(count(eventId, "PaymentIntentCreated")).isZero();
        awaitPayment(orderId, buyer);
        assertThat(count(eventId, "PaymentIntentCreated")).isEqualTo(1);
        JsonNode intent = metadataOf(eventId, "PaymentIntentCreated");
        assertThat(intent.path("userId").asText()).isEqualTo(metadataOf(eventId, "TicketsReserved").path("userId").asText());
        assertThat(intent.path("correlationId").asText()).isNotBlank()
                .isNotEqualTo(metadataOf(eventId, "TicketsReserved").path("correlationId").asText());

        // the hold times out: the deadline's doing, not the buyer's
        awaitOrder(orderId, buyer, "EXPIRED");
        assertThat(metadataOf(eventId, "ReservationExpired").path("userId").asText()).isEqualTo("system");
    }

    @Test
    void aWebhookCausedConfirmationCarriesTheWebhooksCorrelation() throws IOException {
        JsonNode event = createEvent(null, false, "General", 2500, 10);
        String eventId = event.path("eventId").asText();
        String buyer = buyer();
        String orderId = reserve(buyer, eventId, tierId(event, 0), 1).body().path("orderId").asText();
        JsonNode payment = awaitPayment(orderId, buyer);
        stripeBuyer().confirm(payment.path("paymentIntentId").asText(), payment.path("clientSecret").asText(),
                "pm_card_visa");
        awaitOrder(orderId, buyer, "CONFIRMED");

        JsonNode confirmed = metadataOf(eventId, "OrderConfirmed");
        assertThat(confirmed.path("userId").asText()).isEqualTo("stripe");
        String stripeEventId = confirmed.path("correlationId").asText();
        assertThat(stripeEventId).startsWith("evt_");
        // ... and that Stripe event is the payment_intent.succeeded the stand-in sent for this intent
        JsonNode stripeEvent = null;
        for (JsonNode candidate : stripeBuyer().events("sk_test_standin").path("data")) {
            if (candidate.path("id").asText().equals(stripeEventId)) {
                stripeEvent = candidate;
            }
        }
        assertThat(stripeEvent).isNotNull();
        assertThat(stripeEvent.path("data").path("object").path("id").asText())
                .isEqualTo(payment.path("paymentIntentId").asText());
        Integer handled = jdbc.queryForObject("SELECT count(*) FROM stripe_webhook_events WHERE event_id = ?",
                Integer.class, stripeEventId);
        assertThat(handled).isEqualTo(1);
    }

    private int count(String aggregateId, String type) {
        return jdbc.queryForObject("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ? AND payloadtype LIKE ?",
                Integer.class, aggregateId, "%." + type);
    }

    private JsonNode metadataOf(String aggregateId, String type) throws IOException {
        byte[] metadata = jdbc.queryForObject("SELECT metadata FROM domainevententry WHERE aggregateidentifier = ? "
                + "AND payloadtype LIKE ? ORDER BY sequencenumber DESC LIMIT 1", byte[].class, aggregateId, "%." + type);
        return JSON.readTree(metadata);
    }
}
