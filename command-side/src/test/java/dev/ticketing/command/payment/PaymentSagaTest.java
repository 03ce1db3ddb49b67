package dev.ticketing.command.payment;

import dev.ticketing.api.EventId;
import dev.ticketing.api.OrderId;
import dev.ticketing.api.TierId;
import dev.ticketing.api.inventory.ConfirmOrder;
import dev.ticketing.api.inventory.ReservationCancelled;
import dev.ticketing.api.inventory.ReservationExpired;
import dev.ticketing.api.inventory.ReservedLine;
import dev.ticketing.api.inventory.TicketsReserved;
import dev.ticketing.api.payment.LatePaymentRefused;
import dev.ticketing.api.payment.OrderRefunded;
import dev.ticketing.api.payment.PaymentIntentCreated;
import dev.ticketing.api.payment.RecordRefundRefusal;
import dev.ticketing.api.payment.RefundRequested;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.test.saga.SagaTestFixture;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.axonframework.test.matchers.Matchers.andNoMore;
import static org.axonframework.test.matchers.Matchers.exactSequenceOf;
import static org.axonframework.test.matchers.Matchers.predicate;

/**
 * The Stripe side of an order's payment, as done by {@link PaymentSaga}. Stripe is a hand-written
 * double that records each call and answers what the test scripted; it forgets its calls when the
 * fixture starts recording, so each test sees only the calls of its "when". The fixture's command
 * gateway records the commands; every one of them is sent on behalf of "stripe".
 */
class PaymentSagaTest {

    private static final EventId EVENT = new EventId(UUID.fromString("0000000e-0000-4000-8000-000000000001"));
    private static final String EVENT_AGGREGATE = EVENT.toString();
    private static final TierId GENERAL = new TierId(UUID.fromString("0000000a-0000-4000-8000-000000000001"));
    private static final TierId VIP = new TierId(UUID.fromString("0000000a-0000-4000-8000-000000000002"));
    private static final OrderId ORDER = new OrderId(UUID.fromString("0000000b-0000-4000-8000-000000000001"));
    private static final OrderId ORDER_2 = new OrderId(UUID.fromString("0000000b-0000-4000-8000-000000000002"));
    private static final String ALICE = "alice";
    private static final String ORGANISER = "organiser";
    private static final String STRIPE = "stripe";
    private static final String INTENT = "pi_0001";
    private static final String INTENT_2 = "pi_0002";
    private static final String CURRENCY = "EUR";
    private static final List<ReservedLine> LINES =
            List.of(new ReservedLine(GENERAL, 2, 2500), new ReservedLine(VIP, 1, 9000));
    private static final long TOTAL = 14_000;
    private static final Instant NOW = Instant.parse("2027-01-01T10:00:00Z");
    private static final Duration HOLD = Duration.ofMinutes(15);
    private static final Instant EXPIRED_AT = NOW.plus(HOLD);

    private SagaTestFixture<PaymentSaga> fixture;
    private StripeDouble stripe;

    @BeforeEach
    void setUp() {
        stripe = new StripeDouble();
        stripe.intentFor(ORDER, INTENT);
        stripe.intentFor(ORDER_2, INTENT_2);
        fixture = new SagaTestFixture<>(PaymentSaga.class);
        fixture.registerResource(stripe);
        fixture.registerStartRecordingCallback(stripe::forgetCalls);
        fixture.givenCurrentTime(NOW);
    }

    // ---- starting to pay ----

    @Test
    void aHoldNobodyStartedToPayStartsNoSagaAndCallsNoStripe() {
        fixture.givenNoPriorActivity()
               .whenAggregate(EVENT_AGGREGATE).publishes(reserved(ORDER))
               .expectActiveSagas(0)
               .expectNoDispatchedCommands();

        assertThat(stripe.calls).isEmpty();
    }

    @Test
    void aHoldNobodyStartedToPayExpiresWithoutAStripeCall() {
        fixture.givenAggregate(EVENT_AGGREGATE).published(reserved(ORDER))
               .whenAggregate(EVENT_AGGREGATE).publishes(expired(ORDER))
               .expectActiveSagas(0)
               .expectNoDispatchedCommands();

        assertThat(stripe.calls).isEmpty();
    }

    @Test
    void paymentIntentCreated_startsASagaForTheOrderWithoutCallingStripe() {
        fixture.givenAggregate(EVENT_AGGREGATE).published(reserved(ORDER))
               .whenAggregate(EVENT_AGGREGATE).publishes(intentCreated(ORDER))
               .expectActiveSagas(1)
               .expectAssociationWith("orderId", ORDER)
               .expectNoDispatchedCommands();

        assertThat(stripe.calls).isEmpty();
    }

    @Test
    void paymentIntentCreated_eachOrderHasASagaOfItsOwn() {
        fixture.givenAggregate(EVENT_AGGREGATE).published(reserved(ORDER), intentCreated(ORDER), reserved(ORDER_2))
               .whenAggregate(EVENT_AGGREGATE).publishes(intentCreated(ORDER_2))
               .expectActiveSagas(2)
               .expectAssociationWith("orderId", ORDER_2);
    }

    // ---- ReservationExpired ----

    @Test
    void reservationExpired_cancelsTheIntent() {
        fixture.givenAggregate(EVENT_AGGREGATE).published(reserved(ORDER), intentCreated(ORDER))
               .whenAggregate(EVENT_AGGREGATE).publishes(expired(ORDER))
               .expectSuccessfulHandlerExecution();

        assertThat(stripe.calls).containsExactly(List.of("cancelAbandoned", INTENT));
    }

    @Test
    void reservationExpired_dispatchesNothingWhenStripeCancelledTheIntent() {
        stripe.cancelAnswers(INTENT, "canceled");

        fixture.givenAggregate(EVENT_AGGREGATE).published(reserved(ORDER), intentCreated(ORDER))
               .whenAggregate(EVENT_AGGREGATE).publishes(expired(ORDER))
               .expectNoDispatchedCommands()
               .expectActiveSagas(1);
    }

    @Test
    void reservationExpired_confirmsTheOrderWhenStripeSaysTheIntentSucceeded() throws Exception {
        stripe.cancelAnswers(INTENT, "succeeded");

        fixture.givenAggregate(EVENT_AGGREGATE).published(reserved(ORDER), intentCreated(ORDER))
               .andThenTimeAdvancesTo(EXPIRED_AT)
               .whenAggregate(EVENT_AGGREGATE).publishes(expired(ORDER))
               .expectDispatchedCommands(byStripe(new ConfirmOrder(EVENT, ORDER, EXPIRED_AT)));
    }

    @Test
    void reservationExpired_dispatchesNothingWhileStripeIsStillSettlingTheIntent() {
        stripe.cancelAnswers(INTENT, "processing");

        fixture.givenAggregate(EVENT_AGGREGATE).published(reserved(ORDER), intentCreated(ORDER))
               .whenAggregate(EVENT_AGGREGATE).publishes(expired(ORDER))
               .expectNoDispatchedCommands();
    }

    @Test
    void reservationExpired_ofAnotherOrderDoesNotTouchThisOrdersIntent() {
        fixture.givenAggregate(EVENT_AGGREGATE).published(reserved(ORDER), intentCreated(ORDER))
               .whenAggregate(EVENT_AGGREGATE).publishes(expired(ORDER_2))
               .expectNoDispatchedCommands();

        assertThat(stripe.calls).isEmpty();
    }

    // ---- ReservationCancelled ----

    @Test
    void reservationCancelled_byTheBuyerCancelsTheIntent() {
        fixture.givenAggregate(EVENT_AGGREGATE).published(reserved(ORDER), intentCreated(ORDER))
               .whenAggregate(EVENT_AGGREGATE).publishes(cancelled(ORDER, ALICE))
               .expectNoDispatchedCommands();

        assertThat(stripe.calls).containsExactly(List.of("cancelAbandoned", INTENT));
    }

    @Test
    void reservationCancelled_byTheOrganiserCancelsTheIntent() {
        fixture.givenAggregate(EVENT_AGGREGATE).published(reserved(ORDER), intentCreated(ORDER))
               .whenAggregate(EVENT_AGGREGATE).publishes(cancelled(ORDER, ORGANISER))
               .expectNoDispatchedCommands();

        assertThat(stripe.calls).containsExactly(List.of("cancelAbandoned", INTENT));
    }

    @Test
    void reservationCancelled_byTheBuyerConfirmsTheOrderWhenStripeSaysTheIntentSucceeded() throws Exception {
        stripe.cancelAnswers(INTENT, "succeeded");

        fixture.givenAggregate(EVENT_AGGREGATE).published(reserved(ORDER), intentCreated(ORDER))
               .andThenTimeAdvancesTo(NOW.plus(Duration.ofMinutes(4)))
               .whenAggregate(EVENT_AGGREGATE).publishes(cancelled(ORDER, ALICE))
               .expectDispatchedCommands(byStripe(new ConfirmOrder(EVENT, ORDER, NOW.plus(Duration.ofMinutes(4)))));
    }

    @Test
    void reservationCancelled_byStripeDoesNotCallStripe() {
        fixture.givenAggregate(EVENT_AGGREGATE).published(reserved(ORDER), intentCreated(ORDER))
               .whenAggregate(EVENT_AGGREGATE).publishes(cancelled(ORDER, STRIPE))
               .expectSuccessfulHandlerExecution()
               .expectNoDispatchedCommands();

        assertThat(stripe.calls).isEmpty();
    }

    // ---- refunds ----

    @Test
    void latePaymentRefused_refundsTheIntentInFull() {
        fixture.givenAggregate(EVENT_AGGREGATE).published(reserved(ORDER), intentCreated(ORDER), expired(ORDER))
               .whenAggregate(EVENT_AGGREGATE).publishes(new LatePaymentRefused(EVENT, ORDER, ALICE, TOTAL, CURRENCY))
               .expectSuccessfulHandlerExecution()
               .expectNoDispatchedCommands();

        assertThat(stripe.calls).containsExactly(List.of("refundInFull", INTENT, "late-payment"));
    }

    @Test
    void latePaymentRefused_keepsTheSagaUntilTheRefundIsRecorded() {
        fixture.givenAggregate(EVENT_AGGREGATE).published(reserved(ORDER), intentCreated(ORDER), expired(ORDER))
               .whenAggregate(EVENT_AGGREGATE).publishes(new LatePaymentRefused(EVENT, ORDER, ALICE, TOTAL, CURRENCY))
               .expectActiveSagas(1);
    }

    @Test
    void refundRequested_refundsTheIntentInFullForTheOrganiser() {
        fixture.givenAggregate(EVENT_AGGREGATE).published(reserved(ORDER), intentCreated(ORDER))
               .whenAggregate(EVENT_AGGREGATE).publishes(new RefundRequested(EVENT, ORDER, ORGANISER))
               .expectSuccessfulHandlerExecution()
               .expectNoDispatchedCommands();

        assertThat(stripe.calls).containsExactly(List.of("refundInFull", INTENT, "organiser"));
    }

    @Test
    void orderRefunded_endsTheSaga() {
        fixture.givenAggregate(EVENT_AGGREGATE).published(reserved(ORDER), intentCreated(ORDER), new RefundRequested(EVENT, ORDER, ORGANISER))
               .whenAggregate(EVENT_AGGREGATE).publishes(refunded(ORDER, true))
               .expectActiveSagas(0)
               .expectNoDispatchedCommands();
    }

    @Test
    void orderRefunded_ofARefusedLatePaymentEndsTheSaga() {
        fixture.givenAggregate(EVENT_AGGREGATE).published(reserved(ORDER), intentCreated(ORDER), expired(ORDER),
                       new LatePaymentRefused(EVENT, ORDER, ALICE, TOTAL, CURRENCY))
               .whenAggregate(EVENT_AGGREGATE).publishes(refunded(ORDER, false))
               .expectActiveSagas(0);
    }

    @Test
    void orderRefunded_ofOneOrderLeavesTheOtherOrdersSaga() {
        fixture.givenAggregate(EVENT_AGGREGATE).published(reserved(ORDER), intentCreated(ORDER), reserved(ORDER_2), intentCreated(ORDER_2))
               .whenAggregate(EVENT_AGGREGATE).publishes(refunded(ORDER, true))
               .expectActiveSagas(1)
               .expectAssociationWith("orderId", ORDER_2);
    }

    @Test
    void afterTheRefundTheOrdersEventsNoLongerReachStripe() {
        fixture.givenAggregate(EVENT_AGGREGATE).published(reserved(ORDER), intentCreated(ORDER), refunded(ORDER, true))
               .whenAggregate(EVENT_AGGREGATE).publishes(new RefundRequested(EVENT, ORDER, ORGANISER))
               .expectNoDispatchedCommands();

        assertThat(stripe.calls).isEmpty();
    }

    // ---- Stripe failing ----

    @Test
    void aCancellationStripeCannotTakeNowIsTriedAgainForThisOrderALittleLater() {
        stripe.failNext(new StripeGateway.StripeUnavailable("payment_intents.cancel: no room in the rate limit"));

        fixture.givenAggregate(EVENT_AGGREGATE).published(reserved(ORDER), intentCreated(ORDER))
               .whenAggregate(EVENT_AGGREGATE).publishes(expired(ORDER))
               .expectSuccessfulHandlerExecution()
               .expectScheduledDeadlineWithName(Duration.ofSeconds(1), PaymentSaga.RETRY);
    }

    @Test
    void theRetryCancelsTheIntentOnceStripeTakesIt() throws Exception {
        stripe.failNext(new StripeGateway.StripeUnavailable("payment_intents.cancel: Stripe answered 429"));

        fixture.givenAggregate(EVENT_AGGREGATE).published(reserved(ORDER), intentCreated(ORDER), expired(ORDER))
               .whenTimeElapses(Duration.ofSeconds(1))
               .expectNoScheduledDeadlines();

        assertThat(stripe.calls).containsExactly(List.of("cancelAbandoned", INTENT));
    }

    @Test
    void eachFailedAttemptWaitsLongerUpToFiveMinutes() {
        assertThat(PaymentSaga.retryAfter(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(PaymentSaga.retryAfter(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(PaymentSaga.retryAfter(5)).isEqualTo(Duration.ofSeconds(16));
        assertThat(PaymentSaga.retryAfter(30)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void oneOrdersStripeFailureLeavesTheOtherOrdersSagaAlone() {
        stripe.failNext(new StripeGateway.StripeUnavailable("payment_intents.cancel: Stripe unreachable"));

        fixture.givenAggregate(EVENT_AGGREGATE).published(reserved(ORDER), intentCreated(ORDER), reserved(ORDER_2),
                       intentCreated(ORDER_2), expired(ORDER))
               .whenAggregate(EVENT_AGGREGATE).publishes(expired(ORDER_2))
               .expectSuccessfulHandlerExecution();

        assertThat(stripe.calls).containsExactly(List.of("cancelAbandoned", INTENT_2));
    }

    @Test
    void aRefundStripeRefusesForGoodIsRecordedOnTheOrder() {
        stripe.failNext(new StripeGateway.StripeRefused("refunds.create", 400, "charge_disputed",
                "Charge ch_1 has been charged back; cannot issue a refund.", null));

        fixture.givenAggregate(EVENT_AGGREGATE).published(reserved(ORDER), intentCreated(ORDER))
               .whenAggregate(EVENT_AGGREGATE).publishes(new RefundRequested(EVENT, ORDER, ORGANISER))
               .expectSuccessfulHandlerExecution()
               .expectNoScheduledDeadlines()
               .expectDispatchedCommands(byStripe(new RecordRefundRefusal(EVENT, ORDER, "charge_disputed",
                       "Charge ch_1 has been charged back; cannot issue a refund.")));
    }

    // ---- events ----

    private static TicketsReserved reserved(OrderId orderId) {
        return new TicketsReserved(EVENT, orderId, ALICE, LINES, TOTAL, CURRENCY, NOW, NOW.plus(HOLD),
                "deadline-" + orderId);
    }

    private static PaymentIntentCreated intentCreated(OrderId orderId) {
        return new PaymentIntentCreated(EVENT, orderId, orderId.equals(ORDER) ? INTENT : INTENT_2);
    }

    private static ReservationExpired expired(OrderId orderId) {
        return new ReservationExpired(EVENT, orderId, ALICE, LINES);
    }

    private static ReservationCancelled cancelled(OrderId orderId, String cancelledBy) {
        return new ReservationCancelled(EVENT, orderId, ALICE, LINES, cancelledBy);
    }

    private static OrderRefunded refunded(OrderId orderId, boolean seatsReleased) {
        return new OrderRefunded(EVENT, orderId, ALICE, LINES, TOTAL, CURRENCY, seatsReleased);
    }

    /** The command as the saga must send it: with the metadata userId=stripe. */
    private static CommandMessage<?> byStripe(Object command) {
        return GenericCommandMessage.asCommandMessage(command).andMetaData(Map.of("userId", STRIPE));
    }

    /**
     * Stripe, as the saga sees it: records every call and answers from a script. It never reaches
     * Stripe: every method the saga uses is overridden, and its settings hold no key besides.
     */
    static class StripeDouble extends StripeGateway {

        final List<List<Object>> calls = new ArrayList<>();
        private final Map<OrderId, String> intentIds = new java.util.HashMap<>();
        private final Map<String, String> statusAfterCancel = new java.util.HashMap<>();
        private RuntimeException nextFailure;

        StripeDouble() {
            super(new StripeSettings(null, null, null, null, null, null, null), new MockEnvironment(), null, null);
        }

        void intentFor(OrderId orderId, String paymentIntentId) {
            intentIds.put(orderId, paymentIntentId);
        }

        /** The status Stripe answers a cancellation with: "canceled", or the state it could not leave. */
        void cancelAnswers(String paymentIntentId, String status) {
            statusAfterCancel.put(paymentIntentId, status);
        }

        void forgetCalls() {
            calls.clear();
        }

        /** The next call fails so (after it is recorded). */
        void failNext(RuntimeException failure) {
            nextFailure = failure;
        }

        private void record(List<Object> call) {
            calls.add(call);
            RuntimeException failure = nextFailure;
            nextFailure = null;
            if (failure != null) {
                throw failure;
            }
        }

        @Override
        public Intent cancelAbandoned(String paymentIntentId) {
            record(List.of("cancelAbandoned", paymentIntentId));
            return intent(paymentIntentId, statusAfterCancel.getOrDefault(paymentIntentId, "canceled"));
        }

        @Override
        public void refundInFull(String paymentIntentId, String reason) {
            record(List.of("refundInFull", paymentIntentId, reason));
        }

        @Override
        public Intent retrieve(String paymentIntentId) {
            record(List.of("retrieve", paymentIntentId));
            return intent(paymentIntentId, statusAfterCancel.getOrDefault(paymentIntentId, "requires_payment_method"));
        }

        private Intent intent(String paymentIntentId, String status) {
            OrderId orderId = intentIds.entrySet().stream().filter(e -> e.getValue().equals(paymentIntentId))
                    .map(Map.Entry::getKey).findFirst().orElse(null);
            return new Intent(paymentIntentId, status, null, null, null,
                    orderId == null ? null : orderId.toString(), EVENT.toString());
        }
    }
}
