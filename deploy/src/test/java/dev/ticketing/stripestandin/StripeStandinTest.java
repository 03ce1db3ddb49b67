package dev.ticketing.stripestandin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripe.Stripe;
import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.CardException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.exception.StripeException;
import com.stripe.model.BalanceTransaction;
import com.stripe.model.Charge;
import com.stripe.model.Dispute;
import com.stripe.model.Event;
import com.stripe.model.PaymentIntent;
import com.stripe.model.Refund;
import com.stripe.model.StripeObject;
import com.stripe.net.ApiMode;
import com.stripe.net.ApiResource;
import com.stripe.net.HttpURLConnectionClient;
import com.stripe.net.RequestOptions;
import com.stripe.net.StripeRequest;
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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The stand-in driven only through the real stripe-java client, as the service drives Stripe,
 * behind the application's own security chain; webhooks received and verified as the service
 * verifies them. It runs under Stripe's test-mode rate limits: the tests' client backs off on a
 * 429 as Stripe asks clients to, except where a test means to see the 429.
 */
class StripeStandinTest {

    private static final String SECRET_KEY = "sk_test_standin";
    private static final String PUBLISHABLE_KEY = "pk_test_standin";
    private static final String WEBHOOK_SECRET = "whsec_test_standin";
    private static final Duration WEBHOOK_WAIT = Duration.ofSeconds(10);
    /** Stripe's test-mode limits, the stand-in's defaults: 25 requests a second, each limiter. */
    private static final int LIMIT = 25;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

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
        JsonNode released;
        try {
            intent = createIntent(14000, "order-13");
            confirm(intent.getId(), "pm_card_visa");
        } finally {
            released = JSON.readTree(post("/test/webhooks/release", "").body());
        }
        assertThat(released.get("released").asInt()).as("held, not sent").isEqualTo(4);
        await().atMost(WEBHOOK_WAIT).untilAsserted(() -> assertThat(webhooks.typesAbout(intent.getId())).containsExactly(
                "payment_intent.created", "charge.succeeded", "payment_intent.succeeded", "charge.updated"));
    }

    @Test
    void heldWebhooksAreSentNewestFirstOnAReverseRelease() throws Exception {
        post("/test/webhooks/hold", "");
        PaymentIntent intent;
        JsonNode released;
        try {
            intent = createIntent(14000, "order-13-reverse");
            confirm(intent.getId(), "pm_card_visa");
            assertThatThrownBy(() -> post("/test/webhooks/release", "order=backwards"))
                    .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                        assertThat(e.getStatusCode()).isEqualTo(400);
                        assertThat(e.getStripeError().getParam()).isEqualTo("order");
                    });
        } finally {
            released = JSON.readTree(post("/test/webhooks/release?order=reverse", "").body());
        }
        assertThat(released.get("released").asInt()).as("still held after the refused release").isEqualTo(4);
        await().atMost(WEBHOOK_WAIT).untilAsserted(() -> assertThat(webhooks.typesAbout(intent.getId())).containsExactly(
                "charge.updated", "payment_intent.succeeded", "charge.succeeded", "payment_intent.created"));
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

    @Test
    void overTheAccountsLimitStripeAnswers429() throws Exception {
        PaymentIntent intent = createIntent(14000, "order-20");
        String chargeId = confirm(intent.getId(), "pm_card_visa").getLatestCharge();
        String transactionId = stripe.v1().charges().retrieve(chargeId).getBalanceTransaction();
        StripeClient impatient = impatientClient();
        List<Call> calls = List.of(
                () -> impatient.v1().events().list(EventListParams.builder().setLimit(1L).build()),
                () -> impatient.v1().paymentIntents().retrieve(intent.getId()),
                () -> impatient.v1().charges().retrieve(chargeId),
                () -> impatient.v1().balanceTransactions().retrieve(transactionId));
        awaitFullBuckets();

        Burst burst = burst(48, i -> calls.get(i % calls.size()).call());

        assertThat(burst.limited).as("12 calls to each endpoint, under its own limit: the account's was hit").isNotEmpty();
        assertThat(burst.admitted()).isBetween(LIMIT, burst.mostAdmitted(LIMIT));
        assertThat(burst.limited.get(0)).satisfies(e -> {
            assertThat(e.getStatusCode()).isEqualTo(429);
            assertThat(e.getCode()).isEqualTo("rate_limit");
            assertThat(e.getStripeError().getType()).isEqualTo("invalid_request_error");
            assertThat(e.getStripeError().getMessage()).isEqualTo("Request rate limit exceeded. "
                    + "You can learn more about rate limits here https://stripe.com/docs/rate-limits.");
            assertThat(e.getStripeError().getDocUrl()).isEqualTo("https://stripe.com/docs/error-codes/rate-limit");
        });
        assertThat(stripe.rawRequest(ApiResource.RequestMethod.GET, "/test/requests", "").code())
                .as("the test controls are not limited").isEqualTo(200);
    }

    @Test
    void rateLimitedCreationChangesNothingAndLeavesItsIdempotencyKeyUnused() throws Exception {
        String order = "order-" + UUID.randomUUID();
        List<RequestOptions> keys = new ArrayList<>();
        // well over what the buckets admit even if a loaded machine stretches the burst over 2 s (and
        // within the 100 events createdFor reads)
        for (int i = 0; i < 90; i++) {
            keys.add(idempotencyKey());
        }
        PaymentIntentCreateParams params = PaymentIntentCreateParams.builder()
                .setAmount(1200L).setCurrency("eur").putMetadata("orderId", order).build();
        StripeClient impatient = impatientClient();
        awaitFullBuckets();

        Burst burst = burst(keys.size(), i -> impatient.v1().paymentIntents().create(params, keys.get(i)));

        assertThat(burst.limited).isNotEmpty();
        assertThat(createdFor(order)).as("only the admitted ones").hasSize(burst.admitted());
        for (int refused : burst.limitedCalls) {
            PaymentIntent retried = stripe.v1().paymentIntents().create(params, keys.get(refused));
            assertThat(retried.getLastResponse().headers().firstValue("Idempotent-Replayed"))
                    .as("executed, not replayed").isEmpty();
        }
        assertThat(createdFor(order)).hasSize(keys.size());
    }

    @Test
    void eachEndpointHasItsOwnLimitWhateverTheIdAndRequestsAreCountedByEndpoint() throws Exception {
        // Another stand-in whose account limit is off (0), so that only the endpoint's is met, and whose
        // request counts are this test's alone.
        try (ConfigurableApplicationContext own = StandinServer.start(webhooks.url(), WEBHOOK_SECRET,
                "--ticketing.stripe.standin.rate-limit.global-per-second=0")) {
            StripeClient impatient = client(SECRET_KEY, "http://localhost:" + StandinServer.port(own) + "/stripe-emulator", false);
            PaymentIntentCreateParams params = PaymentIntentCreateParams.builder().setAmount(1000L).setCurrency("eur").build();
            List<String> ids = List.of(impatient.v1().paymentIntents().create(params).getId(),
                    impatient.v1().paymentIntents().create(params).getId());
            awaitFullBuckets();

            Burst burst = burst(60, i -> impatient.v1().paymentIntents().retrieve(ids.get(i % 2)));

            assertThat(burst.limited).as("two ids, one endpoint").isNotEmpty();
            assertThat(burst.admitted()).isBetween(LIMIT, burst.mostAdmitted(LIMIT));
            for (int i = 0; i < LIMIT; i++) {
                assertThat(impatient.v1().events().list(EventListParams.builder().setLimit(1L).build()).getData())
                        .as("another endpoint, and no account limit to share").isNotEmpty();
            }
            impatient.v1().paymentIntents().create(params);

            JsonNode counts = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(
                    "http://localhost:" + StandinServer.port(own) + "/stripe-emulator/test/requests")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertThat(counts.get("total").asLong()).isEqualTo(2 + 60 + LIMIT + 1);
            assertThat(counts.get("rateLimited").asLong()).isEqualTo(burst.limited.size());
            assertThat(JSON.convertValue(counts.get("endpoints"), Map.class)).isEqualTo(Map.of(
                    "POST /v1/payment_intents", 3, "GET /v1/payment_intents/{id}", 60, "GET /v1/events", LIMIT));
        }
    }

    @Test
    void requestCountsIncludeRefusedAndBrowserCallsButNotTheTestControls() throws Exception {
        PaymentIntent intent = createIntent(3000, "order-21");
        awaitFullBuckets();
        JsonNode before = requestCounts();

        stripe.v1().paymentIntents().retrieve(intent.getId());
        assertThatThrownBy(() -> client(PUBLISHABLE_KEY).v1().paymentIntents().retrieve(intent.getId()))
                .isInstanceOf(AuthenticationException.class);
        browser("GET", "/v1/payment_intents/" + intent.getId(), "client_secret=" + intent.getClientSecret() + "&key=" + PUBLISHABLE_KEY);
        post("/test/webhooks/hold", "");
        post("/test/webhooks/release", "");

        JsonNode after = requestCounts();
        assertThat(after.get("total").asLong() - before.get("total").asLong()).isEqualTo(3);
        assertThat(after.get("rateLimited").asLong()).isEqualTo(before.get("rateLimited").asLong());
        assertThat(after.at("/endpoints/GET ~1v1~1payment_intents~1{id}").asLong()
                - before.at("/endpoints/GET ~1v1~1payment_intents~1{id}").asLong()).isEqualTo(3);
        assertThat(after.get("endpoints").fieldNames()).toIterable().allMatch(endpoint -> endpoint.matches("(GET|POST) /v1/.*"));
    }

    @Test
    void amountUnderTheCurrencysMinimumIsTooSmall() {
        assertThatThrownBy(() -> create(49, "eur")).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
            assertThat(e.getStatusCode()).isEqualTo(400);
            assertThat(e.getCode()).isEqualTo("amount_too_small");
            assertThat(e.getStripeError().getParam()).isEqualTo("amount");
            assertThat(e.getStripeError().getMessage()).isEqualTo("Amount must be at least €0.50 eur");
            assertThat(e.getStripeError().getDocUrl()).isEqualTo("https://stripe.com/docs/error-codes/amount-too-small");
        });
        assertThatThrownBy(() -> create(49, "usd")).isInstanceOfSatisfying(InvalidRequestException.class,
                e -> assertThat(e.getStripeError().getMessage()).isEqualTo("Amount must be at least $0.50 usd"));
        assertThatThrownBy(() -> create(29, "gbp")).isInstanceOfSatisfying(InvalidRequestException.class,
                e -> assertThat(e.getStripeError().getMessage()).isEqualTo("Amount must be at least £0.30 gbp"));
    }

    @Test
    void minimumIsTheCurrencysOwn() throws StripeException {
        assertThat(create(30, "gbp").getAmount()).isEqualTo(30);
        assertThat(create(50, "eur").getAmount()).isEqualTo(50);
        assertThat(create(50, "jpy").getAmount()).as("¥50: JPY has no minor unit").isEqualTo(50);
        assertThatThrownBy(() -> create(49, "jpy")).isInstanceOfSatisfying(InvalidRequestException.class,
                e -> assertThat(e.getStripeError().getMessage()).isEqualTo("Amount must be at least ¥50 jpy"));
        assertThatThrownBy(() -> create(1499, "czk")).isInstanceOfSatisfying(InvalidRequestException.class,
                e -> assertThat(e.getCode()).isEqualTo("amount_too_small"));
    }

    @Test
    void zeroAmountIsTooSmall() {
        assertThatThrownBy(() -> create(0, "eur")).isInstanceOfSatisfying(InvalidRequestException.class,
                e -> assertThat(e.getCode()).isEqualTo("amount_too_small"));
    }

    @Test
    void amountOfMoreThanEightDigitsIsTooLarge() throws StripeException {
        assertThat(create(99_999_999, "usd").getAmount()).isEqualTo(99_999_999);
        assertThatThrownBy(() -> create(100_000_000, "usd")).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
            assertThat(e.getStatusCode()).isEqualTo(400);
            assertThat(e.getCode()).isEqualTo("amount_too_large");
            assertThat(e.getStripeError().getParam()).isEqualTo("amount");
            assertThat(e.getStripeError().getMessage()).isEqualTo("Amount must be no more than $999,999.99");
        });
    }

    @Test
    void currencyStripeDoesNotChargeInIsRefused() {
        assertThatThrownBy(() -> create(1000, "xyz")).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
            assertThat(e.getStatusCode()).isEqualTo(400);
            assertThat(e.getCode()).isNull();
            assertThat(e.getStripeError().getParam()).isEqualTo("currency");
            assertThat(e.getStripeError().getMessage())
                    .startsWith("Invalid currency: xyz. Stripe currently supports these currencies: usd, aed, afn, ")
                    .contains(", eur, ", ", jpy, ");
        });
    }

    @Test
    void disputedChargeCannotBeRefunded() throws Exception {
        PaymentIntent intent = createIntent(14000, "order-22");
        String chargeId = confirm(intent.getId(), "pm_card_visa").getLatestCharge();

        Dispute dispute = (Dispute) stripe.deserialize(post("/test/charges/" + chargeId + "/dispute", "").body(), ApiMode.V1);
        assertThat(dispute.getId()).startsWith("dp_");
        assertThat(dispute.getCharge()).isEqualTo(chargeId);
        assertThat(dispute.getAmount()).isEqualTo(14000);
        assertThat(dispute.getStatus()).isEqualTo("needs_response");
        assertThat(stripe.v1().charges().retrieve(chargeId).getDisputed()).isTrue();
        assertThat(eventsOfType("charge.dispute.created", intent.getId())).singleElement()
                .satisfies(event -> assertThat(((Dispute) readable(event)).getId()).isEqualTo(dispute.getId()));

        assertThatThrownBy(() -> refund(intent.getId(), null)).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
            assertThat(e.getStatusCode()).isEqualTo(400);
            assertThat(e.getCode()).isEqualTo("charge_disputed");
            assertThat(e.getStripeError().getMessage()).isEqualTo("Charge " + chargeId + " has been charged back; cannot issue a refund.");
        });
        assertThat(stripe.v1().charges().retrieve(chargeId).getAmountRefunded()).isZero();
    }

    @Test
    void browserSendsThePublishableKeyAsAFormField() throws Exception {
        PaymentIntent intent = createIntent(14000, "order-23");
        String secret = "client_secret=" + intent.getClientSecret();

        HttpResponse<String> seen = browser("GET", "/v1/payment_intents/" + intent.getId(), secret + "&key=" + PUBLISHABLE_KEY);
        assertThat(seen.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(seen.body()).get("status").asText()).isEqualTo("requires_payment_method");
        assertThat(browser("POST", "/v1/payment_intents/" + intent.getId() + "/confirm", "payment_method=pm_card_visa&key="
                + PUBLISHABLE_KEY).statusCode()).as("without the client secret").isEqualTo(401);

        HttpResponse<String> paid = browser("POST", "/v1/payment_intents/" + intent.getId() + "/confirm",
                "payment_method=pm_card_visa&" + secret + "&key=" + PUBLISHABLE_KEY);
        assertThat(paid.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(paid.body()).get("status").asText()).isEqualTo("succeeded");
    }

    @Test
    void publishableKeyFieldIsRefusedForServerCalls() throws Exception {
        HttpResponse<String> refused = browser("POST", "/v1/payment_intents", "amount=1000&currency=eur&key=" + PUBLISHABLE_KEY);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(refused.body()).at("/error/message").asText())
                .isEqualTo("This API call cannot be made with a publishable API key. Please use a secret API key.");
    }

    /** A client that backs off on a 429 and tries again, as Stripe asks of clients under its rate limits. */
    private static StripeClient client(String apiKey) {
        return client(apiKey, apiBase, true);
    }

    /** A client that lets a 429 through as stripe-java does, for the tests that mean to see it. */
    private static StripeClient impatientClient() {
        return client(SECRET_KEY, apiBase, false);
    }

    private static StripeClient client(String apiKey, String base, boolean backingOff) {
        return StripeClient.builder().setApiKey(apiKey).setApiBase(base)
                .setHttpClient(backingOff ? new BackingOff() : new HttpURLConnectionClient()).build();
    }

    /** Long enough for every token bucket to refill (each holds one second's worth). */
    private static void awaitFullBuckets() throws InterruptedException {
        Thread.sleep(1100);
    }

    /** {@code calls} calls at once from 8 threads, as a busy service would make them; each 429 kept. */
    private static Burst burst(int calls, IndexedCall call) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            long start = System.nanoTime();
            List<Future<?>> answers = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                int index = i;
                answers.add(threads.submit(() -> call.call(index)));
            }
            Burst burst = new Burst(calls);
            for (int i = 0; i < calls; i++) {
                try {
                    answers.get(i).get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof RateLimitException limited)) {
                        throw e;
                    }
                    burst.limited.add(limited);
                    burst.limitedCalls.add(i);
                }
            }
            burst.seconds = (System.nanoTime() - start) / 1e9;
            return burst;
        } finally {
            threads.shutdown();
        }
    }

    @FunctionalInterface
    private interface IndexedCall {
        Object call(int index) throws StripeException;
    }

    @FunctionalInterface
    private interface Call {
        Object call() throws StripeException;
    }

    private static final class Burst {
        private final int calls;
        private final List<RateLimitException> limited = new ArrayList<>();
        private final List<Integer> limitedCalls = new ArrayList<>();
        private double seconds;

        private Burst(int calls) {
            this.calls = calls;
        }

        int admitted() {
            return calls - limited.size();
        }

        /** A second's worth at once, and what refilled while the burst lasted. */
        int mostAdmitted(int perSecond) {
            return perSecond + (int) Math.ceil(perSecond * seconds);
        }
    }

    /** Retries a 429 after a growing pause (stripe-java itself retries conflicts and 5xx, not a rate limit). */
    private static final class BackingOff extends HttpURLConnectionClient {
        @Override
        public StripeResponse request(StripeRequest request) throws ApiConnectionException {
            try {
                return waitingOut429(() -> super.request(request), StripeResponse::code);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new ApiConnectionException("interrupted while waiting out a 429", interrupted);
            }
        }
    }

    /** Asks again after a growing pause (50 ms, doubled, 7 tries) while the answer is a 429; the last answer. */
    private static <T, E extends Exception> T waitingOut429(Attempt<T, E> call, ToIntFunction<T> status)
            throws E, InterruptedException {
        for (long pause = 50; ; pause *= 2) {
            T answer = call.call();
            if (status.applyAsInt(answer) != 429 || pause > 3200) {
                return answer;
            }
            Thread.sleep(pause);
        }
    }

    @FunctionalInterface
    private interface Attempt<T, E extends Exception> {
        T call() throws E, InterruptedException;
    }

    private static PaymentIntent create(long amount, String currency) throws StripeException {
        return stripe.v1().paymentIntents().create(PaymentIntentCreateParams.builder()
                .setAmount(amount).setCurrency(currency).build());
    }

    private static List<PaymentIntent> createdFor(String orderId) throws StripeException {
        return eventsOfType("payment_intent.created").stream().map(event -> (PaymentIntent) readable(event))
                .filter(intent -> orderId.equals(intent.getMetadata().get("orderId"))).toList();
    }

    private static JsonNode requestCounts() throws StripeException, IOException {
        return JSON.readTree(stripe.rawRequest(ApiResource.RequestMethod.GET, "/test/requests", "").body());
    }

    /** As Stripe.js calls the API: no Authorization header, the publishable key in the form (or the query of a GET). */
    private static HttpResponse<String> browser(String method, String path, String form) throws IOException, InterruptedException {
        HttpRequest.Builder request = "GET".equals(method)
                ? HttpRequest.newBuilder(URI.create(apiBase + path + "?" + form)).GET()
                : HttpRequest.newBuilder(URI.create(apiBase + path)).header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form));
        // The checkout page waits out a 429 and asks again; the buckets may be empty after another test's burst.
        return waitingOut429(() -> HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()),
                HttpResponse::statusCode);
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
        return eventsOfType(type).stream().filter(event -> intentId.equals(relatedIntent(event))).toList();
    }

    private static List<Event> eventsOfType(String type) throws StripeException {
        return stripe.v1().events().list(EventListParams.builder().setType(type).setLimit(100L).build()).getData();
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
        if (object instanceof Dispute dispute) {
            return dispute.getPaymentIntent();
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
