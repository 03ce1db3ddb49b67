package dev.ticketing.stripestandin;

import com.stripe.Stripe;
import com.stripe.StripeClient;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.CardException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.exception.StripeException;
import com.stripe.model.BalanceTransaction;
import com.stripe.model.Charge;
import com.stripe.model.Event;
import com.stripe.model.PaymentIntent;
import com.stripe.model.Refund;
import com.stripe.model.StripeObject;
import com.stripe.net.ApiMode;
import com.stripe.net.ApiResource;
import com.stripe.net.RequestOptions;
import com.stripe.net.StripeResponse;
import com.stripe.net.Webhook;
import com.stripe.param.EventListParams;
import com.stripe.param.PaymentIntentCancelParams;
import com.stripe.param.PaymentIntentConfirmParams;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.PaymentIntentRetrieveParams;
import com.stripe.param.RefundCreateParams;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ticketing.platform.problem.ProblemWriter;
import dev.ticketing.platform.security.SecurityConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.SecurityFilterAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.DispatcherServletAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.ServletWebServerFactoryAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The stand-in driven only through the real stripe-java client, as the service drives Stripe,
 * behind the application's own security chain; webhooks received and verified as the service
 * verifies them.
 */
class StripeStandinTest {

    private static final String SECRET_KEY = "sk_test_standin";
    private static final String WEBHOOK_SECRET = "whsec_test_standin";
    private static final Duration WEBHOOK_WAIT = Duration.ofSeconds(10);

    private static final WebhookReceiver webhooks = new WebhookReceiver();
    private static ConfigurableApplicationContext app;
    private static String apiBase;
    private static StripeClient stripe;

    @BeforeAll
    static void start() throws IOException {
        webhooks.start();
        app = StandinServer.start(webhooks.url(), WEBHOOK_SECRET);
        apiBase = "http://localhost:" + app.getEnvironment().getProperty("local.server.port") + "/stripe-emulator";
        stripe = client(SECRET_KEY);
    }

    @AfterAll
    static void stop() {
        app.close();
        webhooks.stop();
    }

    @Test
    void succeededPaymentHasAChargeAndABalanceTransactionWithStripesFee() throws StripeException {
        PaymentIntent created = createIntent(14000, "order-1");
        assertThat(created.getId()).startsWith("pi_");
        assertThat(created.getObject()).isEqualTo("payment_intent");
        assertThat(created.getStatus()).isEqualTo("requires_payment_method");
        assertThat(created.getClientSecret()).startsWith(created.getId() + "_secret_");
        assertThat(created.getLivemode()).isFalse();
        assertThat(created.getCreated()).isPositive();

        PaymentIntent confirmed = confirm(created.getId(), "pm_card_visa");
        assertThat(confirmed.getStatus()).isEqualTo("succeeded");
        assertThat(confirmed.getAmountReceived()).isEqualTo(14000);
        assertThat(confirmed.getLatestCharge()).startsWith("ch_");

        PaymentIntent retrieved = stripe.v1().paymentIntents().retrieve(created.getId(),
                PaymentIntentRetrieveParams.builder().addExpand("latest_charge.balance_transaction").build());
        Charge charge = retrieved.getLatestChargeObject();
        assertThat(charge.getId()).isEqualTo(confirmed.getLatestCharge());
        assertThat(charge.getPaid()).isTrue();
        assertThat(charge.getCaptured()).isTrue();
        assertThat(charge.getAmount()).isEqualTo(14000);
        assertThat(charge.getCurrency()).isEqualTo("eur");
        assertThat(charge.getPaymentIntent()).isEqualTo(created.getId());
        assertThat(charge.getRefunded()).isFalse();
        assertThat(charge.getAmountRefunded()).isZero();
        assertThat(charge.getMetadata()).containsEntry("orderId", "order-1");
        BalanceTransaction transaction = charge.getBalanceTransactionObject();
        assertThat(transaction.getId()).startsWith("txn_");
        assertThat(transaction.getFee()).as("2.9% of 14000 is 406, plus 30").isEqualTo(436);
        assertThat(transaction.getNet()).isEqualTo(14000 - 436);
        assertThat(transaction.getType()).isEqualTo("charge");
        assertThat(transaction.getSource()).isEqualTo(charge.getId());

        assertThat(stripe.v1().charges().retrieve(charge.getId()).getBalanceTransaction()).isEqualTo(transaction.getId());
        assertThat(stripe.v1().balanceTransactions().retrieve(transaction.getId()).getFee()).isEqualTo(436);
        assertThat(stripe.v1().paymentIntents().retrieve(created.getId()).getLatestChargeObject())
                .as("not expanded unless asked").isNull();
    }

    @Test
    void declinedCardLeavesTheIntentForAnotherTryWithANewIdempotencyKey() throws StripeException {
        PaymentIntent intent = createIntent(5000, "order-2");
        RequestOptions firstTry = idempotencyKey();
        PaymentIntentConfirmParams declinedCard = PaymentIntentConfirmParams.builder()
                .setPaymentMethod("pm_card_chargeDeclined").build();

        assertThatThrownBy(() -> stripe.v1().paymentIntents().confirm(intent.getId(), declinedCard, firstTry))
                .isInstanceOfSatisfying(CardException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(402);
                    assertThat(e.getCode()).isEqualTo("card_declined");
                    assertThat(e.getDeclineCode()).isEqualTo("generic_decline");
                });
        PaymentIntent declined = stripe.v1().paymentIntents().retrieve(intent.getId());
        assertThat(declined.getStatus()).isEqualTo("requires_payment_method");
        assertThat(declined.getLastPaymentError().getCode()).isEqualTo("card_declined");
        assertThat(declined.getLastPaymentError().getDeclineCode()).isEqualTo("generic_decline");

        assertThatThrownBy(() -> stripe.v1().paymentIntents().confirm(intent.getId(), declinedCard, firstTry))
                .as("the same key replays the decline").isInstanceOf(CardException.class);
        assertThat(eventsOfType("payment_intent.payment_failed", intent.getId())).as("no second attempt").hasSize(1);

        PaymentIntent paid = stripe.v1().paymentIntents().confirm(intent.getId(),
                PaymentIntentConfirmParams.builder().setPaymentMethod("pm_card_visa").build(), idempotencyKey());
        assertThat(paid.getStatus()).isEqualTo("succeeded");
        assertThat(paid.getLastPaymentError()).isNull();
    }

    @Test
    void processingPaymentSettlesAsSucceeded() throws StripeException {
        PaymentIntent intent = createIntent(2500, "order-3");
        assertThat(confirm(intent.getId(), "pm_card_processing").getStatus()).isEqualTo("processing");
        assertThat(stripe.v1().paymentIntents().retrieve(intent.getId()).getStatus()).isEqualTo("processing");

        PaymentIntent settled = settle(intent.getId(), "succeeded");
        assertThat(settled.getStatus()).isEqualTo("succeeded");
        assertThat(stripe.v1().charges().retrieve(settled.getLatestCharge()).getAmount()).isEqualTo(2500);
        assertThat(eventsOfType("payment_intent.processing", intent.getId())).hasSize(1);
        assertThat(eventsOfType("payment_intent.succeeded", intent.getId())).hasSize(1);
    }

    @Test
    void processingPaymentSettlesAsFailed() throws StripeException {
        PaymentIntent intent = createIntent(2500, "order-4");
        confirm(intent.getId(), "pm_card_processing");

        PaymentIntent settled = settle(intent.getId(), "failed");
        assertThat(settled.getStatus()).isEqualTo("requires_payment_method");
        assertThat(settled.getLastPaymentError().getCode()).isEqualTo("card_declined");
        assertThat(settled.getLatestCharge()).isNull();
        assertThat(eventsOfType("payment_intent.payment_failed", intent.getId())).hasSize(1);
        assertThatThrownBy(() -> settle(intent.getId(), "succeeded")).as("no longer processing")
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.getCode()).isEqualTo("payment_intent_unexpected_state"));
    }

    @Test
    void cancelledIntentCannotBeConfirmed() throws StripeException {
        PaymentIntent intent = createIntent(3000, "order-5");
        PaymentIntent cancelled = stripe.v1().paymentIntents().cancel(intent.getId(), PaymentIntentCancelParams.builder()
                .setCancellationReason(PaymentIntentCancelParams.CancellationReason.ABANDONED).build());
        assertThat(cancelled.getStatus()).isEqualTo("canceled");
        assertThat(cancelled.getCancellationReason()).isEqualTo("abandoned");
        assertThat(cancelled.getCanceledAt()).isPositive();

        assertThatThrownBy(() -> confirm(intent.getId(), "pm_card_visa"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(400);
                    assertThat(e.getCode()).isEqualTo("payment_intent_unexpected_state");
                });
        assertThat(stripe.v1().paymentIntents().retrieve(intent.getId()).getStatus()).isEqualTo("canceled");
    }

    @Test
    void succeededIntentCannotBeCancelledNorConfirmedAgain() throws StripeException {
        PaymentIntent intent = createIntent(3000, "order-6");
        confirm(intent.getId(), "pm_card_visa");

        assertThatThrownBy(() -> stripe.v1().paymentIntents().cancel(intent.getId()))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.getCode()).isEqualTo("payment_intent_unexpected_state"));
        assertThatThrownBy(() -> confirm(intent.getId(), "pm_card_visa"))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.getCode()).isEqualTo("payment_intent_unexpected_state"));
        assertThat(eventsOfType("charge.succeeded", intent.getId())).as("charged once").hasSize(1);
    }

    @Test
    void refundIsFullByDefaultAndASecondIsRefused() throws StripeException {
        PaymentIntent intent = createIntent(14000, "order-7");
        String chargeId = confirm(intent.getId(), "pm_card_visa").getLatestCharge();

        Refund refund = stripe.v1().refunds().create(RefundCreateParams.builder().setPaymentIntent(intent.getId()).build());
        assertThat(refund.getId()).startsWith("re_");
        assertThat(refund.getAmount()).isEqualTo(14000);
        assertThat(refund.getStatus()).isEqualTo("succeeded");
        assertThat(refund.getCharge()).isEqualTo(chargeId);
        Charge charge = stripe.v1().charges().retrieve(chargeId);
        assertThat(charge.getRefunded()).isTrue();
        assertThat(charge.getAmountRefunded()).isEqualTo(14000);

        assertThatThrownBy(() -> stripe.v1().refunds().create(RefundCreateParams.builder().setCharge(chargeId).build()))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.getCode()).isEqualTo("charge_already_refunded"));
    }

    @Test
    void partialRefundsLeaveTheRestRefundable() throws StripeException {
        PaymentIntent intent = createIntent(10000, "order-8");
        String chargeId = confirm(intent.getId(), "pm_card_visa").getLatestCharge();

        assertThat(refund(intent.getId(), 4000L).getAmount()).isEqualTo(4000);
        Charge partly = stripe.v1().charges().retrieve(chargeId);
        assertThat(partly.getAmountRefunded()).isEqualTo(4000);
        assertThat(partly.getRefunded()).isFalse();
        assertThatThrownBy(() -> refund(intent.getId(), 7000L)).as("more than is left")
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.getCode()).isEqualTo("amount_too_large"));
        assertThat(refund(intent.getId(), null).getAmount()).as("the rest").isEqualTo(6000);
    }

    @Test
    void refundOfAnUnpaidIntentIsRefused() throws StripeException {
        PaymentIntent intent = createIntent(3000, "order-9");
        assertThatThrownBy(() -> refund(intent.getId(), null)).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void sameIdempotencyKeyReplaysTheFirstAnswer() throws StripeException {
        RequestOptions key = idempotencyKey();
        PaymentIntentCreateParams params = PaymentIntentCreateParams.builder()
                .setAmount(1200L).setCurrency("eur").putMetadata("orderId", "order-10").build();

        PaymentIntent first = stripe.v1().paymentIntents().create(params, key);
        PaymentIntent again = stripe.v1().paymentIntents().create(params, key);

        assertThat(again.getId()).isEqualTo(first.getId());
        assertThat(again.getLastResponse().headers().firstValue("Idempotent-Replayed")).hasValue("true");
        Event newestCreation = stripe.v1().events().list(EventListParams.builder()
                .setType("payment_intent.created").setLimit(1L).build()).getData().get(0);
        assertThat(((PaymentIntent) readable(newestCreation)).getId()).as("no second intent").isEqualTo(first.getId());
    }

    @Test
    void sameIdempotencyKeyWithOtherParametersIsRefused() throws StripeException {
        RequestOptions key = idempotencyKey();
        stripe.v1().paymentIntents().create(PaymentIntentCreateParams.builder()
                .setAmount(1200L).setCurrency("eur").build(), key);

        assertThatThrownBy(() -> stripe.v1().paymentIntents().create(PaymentIntentCreateParams.builder()
                .setAmount(1300L).setCurrency("eur").build(), key))
                .isInstanceOfSatisfying(IdempotencyException.class, e -> assertThat(e.getStatusCode()).isEqualTo(400));
    }

    @Test
    void eventsAreListedNewestFirstAndFilteredByType() throws StripeException {
        confirm(createIntent(14000, "order-11").getId(), "pm_card_visa");
        PaymentIntent intent = createIntent(14000, "order-11");
        confirm(intent.getId(), "pm_card_visa");

        List<Event> newest = stripe.v1().events().list(EventListParams.builder().setLimit(4L).build()).getData();
        assertThat(newest).extracting(Event::getType).containsExactly(
                "charge.updated", "payment_intent.succeeded", "charge.succeeded", "payment_intent.created");
        assertThat(newest).extracting(Event::getCreated).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(newest).allSatisfy(event -> {
            assertThat(event.getId()).startsWith("evt_");
            assertThat(event.getApiVersion()).isEqualTo(Stripe.API_VERSION);
            assertThat(relatedIntent(event)).isEqualTo(intent.getId());
        });

        var succeeded = stripe.v1().events().list(EventListParams.builder()
                .setType("payment_intent.succeeded").setLimit(1L).build());
        assertThat(succeeded.getData()).singleElement().satisfies(event -> {
            assertThat(event.getType()).isEqualTo("payment_intent.succeeded");
            assertThat(relatedIntent(event)).isEqualTo(intent.getId());
        });
        assertThat(succeeded.getHasMore()).as("the first intent's").isTrue();
    }

    @Test
    void webhooksAreSignedAndSentInTheOrderOfTheEvents() throws StripeException {
        PaymentIntent intent = createIntent(14000, "order-12");
        String chargeId = confirm(intent.getId(), "pm_card_visa").getLatestCharge();
        refund(intent.getId(), null);

        await().atMost(WEBHOOK_WAIT).untilAsserted(() -> assertThat(webhooks.typesAbout(intent.getId())).containsExactly(
                "payment_intent.created", "charge.succeeded", "payment_intent.succeeded", "charge.updated",
                "charge.refunded", "refund.created"));
        List<Event> received = webhooks.about(intent.getId());
        assertThat(received).allSatisfy(event -> assertThat(event.getApiVersion()).isEqualTo(Stripe.API_VERSION));
        assertThat(((Charge) readable(received.get(1))).getBalanceTransaction())
                .as("charge.succeeded: the fee is not known yet").isNull();
        Charge updated = (Charge) readable(received.get(3));
        assertThat(updated.getId()).isEqualTo(chargeId);
        assertThat(stripe.v1().balanceTransactions().retrieve(updated.getBalanceTransaction()).getFee()).isEqualTo(436);
        Charge refunded = (Charge) readable(received.get(4));
        assertThat(refunded.getRefunded()).isTrue();
        assertThat(refunded.getAmountRefunded()).isEqualTo(14000);
        assertThat(((Refund) readable(received.get(5))).getAmount()).isEqualTo(14000);
    }

    @Test
    void heldWebhooksAreSentInOrderOnRelease() throws Exception {
        post("/test/webhooks/hold", "");
        PaymentIntent intent;
        try {
            intent = createIntent(14000, "order-13");
            confirm(intent.getId(), "pm_card_visa");
            Thread.sleep(1000);
            assertThat(webhooks.about(intent.getId())).as("held").isEmpty();
        } finally {
            post("/test/webhooks/release", "");
        }
        await().atMost(WEBHOOK_WAIT).untilAsserted(() -> assertThat(webhooks.typesAbout(intent.getId())).containsExactly(
                "payment_intent.created", "charge.succeeded", "payment_intent.succeeded", "charge.updated"));
    }

    @Test
    void pastEventIsSentOnceMore() throws StripeException {
        PaymentIntent intent = createIntent(14000, "order-14");
        await().atMost(WEBHOOK_WAIT).until(() -> webhooks.about(intent.getId()).size() == 1);
        Event created = webhooks.about(intent.getId()).get(0);

        post("/test/events/" + created.getId() + "/resend", "");

        await().atMost(WEBHOOK_WAIT).untilAsserted(() -> assertThat(webhooks.about(intent.getId()))
                .extracting(Event::getId).containsExactly(created.getId(), created.getId()));
        assertThat(webhooks.about(intent.getId()).get(1).getLastResponse().body())
                .as("the same payload").isEqualTo(created.getLastResponse().body());
    }

    @Test
    void failedDeliveryIsRetriedWhileLaterEventsFlow() throws StripeException {
        String order = "order-" + UUID.randomUUID();
        webhooks.failNext(order, 2);
        PaymentIntent failing = createIntent(14000, order);
        PaymentIntent later = createIntent(14000, "order-15");

        await().atMost(WEBHOOK_WAIT).until(() -> webhooks.about(failing.getId()).size() == 1);
        String eventId = webhooks.about(failing.getId()).get(0).getId();
        assertThat(webhooks.attempts(eventId)).as("500, 500, then 200").isEqualTo(3);
        assertThat(webhooks.received.indexOf(webhooks.about(later.getId()).get(0)))
                .as("the later event did not wait for the failing one")
                .isLessThan(webhooks.received.indexOf(webhooks.about(failing.getId()).get(0)));
    }

    @Test
    void browserConfirmsWithThePublishableKeyAndTheClientSecret() throws StripeException {
        PaymentIntent intent = createIntent(14000, "order-16");
        StripeClient browser = client("pk_test_standin");

        PaymentIntent seen = browser.v1().paymentIntents().retrieve(intent.getId(),
                PaymentIntentRetrieveParams.builder().setClientSecret(intent.getClientSecret()).build());
        assertThat(seen.getStatus()).isEqualTo("requires_payment_method");
        assertThatThrownBy(() -> browser.v1().paymentIntents().confirm(intent.getId(), PaymentIntentConfirmParams.builder()
                .setPaymentMethod("pm_card_visa").putExtraParam("client_secret", intent.getId() + "_secret_wrong").build()))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> confirm(browser, intent.getId()))
                .as("a publishable key alone").isInstanceOf(AuthenticationException.class);

        PaymentIntent paid = browser.v1().paymentIntents().confirm(intent.getId(), PaymentIntentConfirmParams.builder()
                .setPaymentMethod("pm_card_visa").putExtraParam("client_secret", intent.getClientSecret()).build());
        assertThat(paid.getStatus()).isEqualTo("succeeded");
    }

    @Test
    void serverCallsNeedASecretKey() {
        assertThatThrownBy(() -> client("pk_test_standin").v1().paymentIntents().create(PaymentIntentCreateParams.builder()
                .setAmount(1000L).setCurrency("eur").build())).isInstanceOf(AuthenticationException.class);
        assertThatThrownBy(() -> client("sk_live_other").v1().events().list(EventListParams.builder().build()))
                .isInstanceOf(AuthenticationException.class);
    }

    @Test
    void unknownIntentIsNotFound() {
        assertThatThrownBy(() -> stripe.v1().paymentIntents().retrieve("pi_unknown"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(404);
                    assertThat(e.getCode()).isEqualTo("resource_missing");
                });
    }

    private static StripeClient client(String apiKey) {
        return StripeClient.builder().setApiKey(apiKey).setApiBase(apiBase).build();
    }

    private static PaymentIntent createIntent(long amount, String orderId) throws StripeException {
        return stripe.v1().paymentIntents().create(PaymentIntentCreateParams.builder()
                .setAmount(amount).setCurrency("eur").setDescription("Tickets").putMetadata("orderId", orderId)
                .setAutomaticPaymentMethods(PaymentIntentCreateParams.AutomaticPaymentMethods.builder().setEnabled(true).build())
                .build());
    }

    private static PaymentIntent confirm(String intentId, String paymentMethod) throws StripeException {
        return stripe.v1().paymentIntents().confirm(intentId,
                PaymentIntentConfirmParams.builder().setPaymentMethod(paymentMethod).build());
    }

    private static PaymentIntent confirm(StripeClient client, String intentId) throws StripeException {
        return client.v1().paymentIntents().confirm(intentId,
                PaymentIntentConfirmParams.builder().setPaymentMethod("pm_card_visa").build());
    }

    private static Refund refund(String intentId, Long amount) throws StripeException {
        return stripe.v1().refunds().create(RefundCreateParams.builder().setPaymentIntent(intentId).setAmount(amount).build());
    }

    private static PaymentIntent settle(String intentId, String outcome) throws StripeException {
        return (PaymentIntent) stripe.deserialize(
                post("/test/payment_intents/" + intentId + "/settle", "outcome=" + outcome).body(), ApiMode.V1);
    }

    /** The test controls are not Stripe's API; stripe-java reaches them as raw requests. */
    private static StripeResponse post(String path, String form) throws StripeException {
        return stripe.rawRequest(ApiResource.RequestMethod.POST, path, form);
    }

    private static RequestOptions idempotencyKey() {
        return RequestOptions.builder().setIdempotencyKey(UUID.randomUUID().toString()).build();
    }

    private static List<Event> eventsOfType(String type, String intentId) throws StripeException {
        return stripe.v1().events().list(EventListParams.builder().setType(type).setLimit(100L).build()).getData()
                .stream().filter(event -> intentId.equals(relatedIntent(event))).toList();
    }

    /** The event's object as stripe-java reads it: present only when the api_version is the client's. */
    private static StripeObject readable(Event event) {
        return event.getDataObjectDeserializer().getObject()
                .orElseThrow(() -> new AssertionError("unreadable event " + event.getId() + " of " + event.getApiVersion()));
    }

    private static String relatedIntent(Event event) {
        StripeObject object = readable(event);
        if (object instanceof PaymentIntent intent) {
            return intent.getId();
        }
        if (object instanceof Charge charge) {
            return charge.getPaymentIntent();
        }
        return ((Refund) object).getPaymentIntent();
    }

    /** Stands for the service's webhook endpoint: verifies each delivery as the service does, and can fail on purpose. */
    private static final class WebhookReceiver {

        private final List<Event> received = new CopyOnWriteArrayList<>();
        private final Map<String, AtomicInteger> attemptsByEvent = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> failuresByMarker = new ConcurrentHashMap<>();
        private HttpServer server;

        void start() throws IOException {
            server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
            server.createContext("/webhook", this::handle);
            server.start();
        }

        void stop() {
            server.stop(0);
        }

        String url() {
            return "http://localhost:" + server.getAddress().getPort() + "/webhook";
        }

        /** The next {@code times} deliveries whose payload contains {@code marker} are answered 500. */
        void failNext(String marker, int times) {
            failuresByMarker.put(marker, new AtomicInteger(times));
        }

        int attempts(String eventId) {
            return attemptsByEvent.getOrDefault(eventId, new AtomicInteger()).get();
        }

        List<Event> about(String intentId) {
            return received.stream().filter(event -> intentId.equals(relatedIntent(event))).toList();
        }

        List<String> typesAbout(String intentId) {
            return about(intentId).stream().map(Event::getType).toList();
        }

        private void handle(HttpExchange exchange) throws IOException {
            String payload = new String(exchange.getRequestBody().readAllBytes(), UTF_8);
            int status = 200;
            if (!"application/json; charset=utf-8".equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
                status = 415;
            } else {
                try {
                    Event event = Webhook.constructEvent(payload,
                            exchange.getRequestHeaders().getFirst("Stripe-Signature"), WEBHOOK_SECRET);
                    attemptsByEvent.computeIfAbsent(event.getId(), id -> new AtomicInteger()).incrementAndGet();
                    boolean failOnPurpose = failuresByMarker.entrySet().stream().anyMatch(
                            failing -> payload.contains(failing.getKey()) && failing.getValue().getAndDecrement() > 0);
                    if (failOnPurpose) {
                        status = 500;
                    } else {
                        received.add(event);
                    }
                } catch (SignatureVerificationException unsigned) {
                    status = 400;
                }
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        }
    }
}
