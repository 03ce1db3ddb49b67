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

    // ---- TicketsReserved ----

    @Test
    void ticketsReserved_startsASaga() {
        fixture.givenNoPriorActivity()
               .whenAggregate(EVENT_AGGREGATE).publishes(reserved(ORDER))
               .expectSuccessfulHandlerExecution()
               .expectActiveSagas(1);
    }

    @Test
    void ticketsReserved_createsThePaymentIntentForTheOrderTotalInItsCurrency() {
        fixture.givenNoPriorActivity()
               .whenAggregate(EVENT_AGGREGATE).publishes(reserved(ORDER))
               .expectSuccessfulHandlerExecution();

        assertThat(stripe.calls).containsExactly(List.of("createPaymentIntent", ORDER, EVENT, TOTAL, CURRENCY));
    }

    @Test
    void ticketsReserved_recordsTheIntentOnTheOrdersPaymentStreamOnBehalfOfStripe() {
        fixture.givenNoPriorActivity()
               .whenAggregate(EVENT_AGGREGATE).publishes(reserved(ORDER))
               .expectPublishedEventsMatching(intentRecordedByStripe(ORDER, INTENT))
               .expectNoDispatchedCommands();
    }

    @Test
    void ticketsReserved_associatesTheSagaWithTheOrder() {
        fixture.givenNoPriorActivity()
               .whenAggregate(EVENT_AGGREGATE).publishes(reserved(ORDER))
               .expectAssociationWith("orderId", ORDER);
    }

    @Test
    void ticketsReserved_associatesTheSagaWithThePaymentIntent() {
        fixture.givenNoPriorActivity()
               .whenAggregate(EVENT_AGGREGATE).publishes(reserved(ORDER))
               .expectAssociationWith("paymentIntentId", INTENT)
               .expectNoAssociationWith("paymentIntentId", INTENT_2);
    }

    @Test
    void ticketsReserved_eachOrderHasASagaOfItsOwn() {
        fixture.givenAggregate(EVENT_AGGREGATE).published(reserved(ORDER))
               .whenAggregate(EVENT_AGGREGATE).publishes(reserved(ORDER_2))
               .expectActiveSagas(2)
               .expectAssociationWith("paymentIntentId", INTENT_2)
               .expectPublishedEventsMatching(intentRecordedByStripe(ORDER_2, INTENT_2));
    }

    // ---- ReservationExpired ----

    @Test
    void reservationExpired_cancelsTheIntent() {
        fixture.givenAggregate(EVENT_AGGREGATE).published(reserved(ORDER))
               .whenAggregate(EVENT_AGGREGATE).publishes(expired(ORDER))
               .expectSuccessfulHandlerExecution();

        assertThat(stripe.calls).containsExactly(List.of("cancelAbandoned", INTENT));
    }

    @Test
    void reservationExpired_dispatchesNothingWhenStripeCancelledTheIntent() {
        stripe.cancelAnswers(INTENT, "canceled");

        fixture.givenAggregate(EVENT_AGGREGATE).published(reserved(ORDER))
               .whenAggregate(EVENT_AGGREGATE).publishes(expired(ORDER))
               .expectNoDispatchedCommands()
               .expectActiveSagas(1);
    }

    @Test
    void reservationExpired_confirmsTheOrderWhenStripeSaysTheIntentSucceeded() throws Exception {
        stripe.cancelAnswers(INTENT, "succeeded");

        fixture.givenAggregate(EVENT_AGGREGATE).published(reserved(ORDER))
               .andThenTimeAdvancesTo(EXPIRED_AT)
               .whenAggregate(EVENT_AGGREGATE).publishes(expired(ORDER))
               .expectDispatchedCommands(byStripe(new ConfirmOrder(EVENT, ORDER, EXPIRED_AT)));
    }

    @Test
    void reservationExpired_dispatchesNothingWhileStripeIsStillSettlingTheIntent() {
        stripe.cancelAnswers(INTENT, "processing");

        fixture.givenAggregate(EVENT_AGGREGATE).published(reserved(ORDER))
               .whenAggregate(EVENT_AGGREGATE).publishes(expired(ORDER))
               .expectNoDispatchedCommands();
    }

    @Test
    void reservationExpired_ofAnotherOrderDoesNotTouchThisOrdersIntent() {
        fixture.givenAggregate(EVENT_AGGREGATE).published(reserved(ORDER))
               .whenAggregate(EVENT_AGGREGATE).publishes(expired(ORDER_2))
               .expectNoDispatchedCommands();

        assertThat(stripe.calls).isEmpty();
    }

    // ---- ReservationCancelled ----

    @Test
    void reservationCancelled_byTheBuyerCancelsTheIntent() {
        fixture.givenAggregate(EVENT_AGGREGATE).published(reserved(ORDER))
               .whenAggregate(EVENT_AGGREGATE).publishes(cancelled(ORDER, ALICE))
               .expectNoDispatchedCommands();

        assertThat(stripe.calls).containsExactly(List.of("cancelAbandoned", INTENT));
    }

    @Test
    void reservationCancelled_byTheOrganiserCancelsTheIntent() {
        fixture.givenAggregate(EVENT_AGGREGATE).published(reserved(ORDER))
               .whenAggregate(EVENT_AGGREGATE).publishes(cancelled(ORDER, ORGANISER))
               .expectNoDispatchedCommands();

        assertThat(stripe.calls).containsExactly(List.of("cancelAbandoned", INTENT));
    }

    @Test
    void reservationCancelled_byTheBuyerConfirmsTheOrderWhenStripeSaysTheIntentSucceeded() throws Exception {
        stripe.cancelAnswers(INTENT, "succeeded");

        fixture.givenAggregate(EVENT_AGGREGATE).published(reserved(ORDER))
               .andThenTimeAdvancesTo(NOW.plus(Duration.ofMinutes(4)))
               .whenAggregate(EVENT_AGGREGATE).publishes(cancelled(ORDER, ALICE))
               .expectDispatchedCommands(byStripe(new ConfirmOrder(EVENT, ORDER, NOW.plus(Duration.ofMinutes(4)))));
    }

    @Test
    void reservationCancelled_byStripeDoesNotCallStripe() {
        fixture.givenAggregate(EVENT_AGGREGATE).published(reserved(ORDER))
               .whenAggregate(EVENT_AGGREGATE).publishes(cancelled(ORDER, STRIPE))
               .expectSuccessfulHandlerExecution()
               .expectNoDispatchedCommands();

        assertThat(stripe.calls).isEmpty();
    }

    // ---- refunds ----

    @Test
    void latePaymentRefused_refundsTheIntentInFull() {
        fixture.givenAggregate(EVENT_AGGREGATE).published(reserved(ORDER), expired(ORDER))
               .whenAggregate(EVENT_AGGREGATE).publishes(new LatePaymentRefused(EVENT, ORDER, ALICE, TOTAL, CURRENCY))
               .expectSuccessfulHandlerExecution()
               .expectNoDispatchedCommands();

        assertThat(stripe.calls).containsExactly(List.of("refundInFull", INTENT, "late-payment"));
    }

    @Test
    void latePaymentRefused_keepsTheSagaUntilTheRefundIsRecorded() {
        fixture.givenAggregate(EVENT_AGGREGATE).published(reserved(ORDER), expired(ORDER))
               .whenAggregate(EVENT_AGGREGATE).publishes(new LatePaymentRefused(EVENT, ORDER, ALICE, TOTAL, CURRENCY))
               .expectActiveSagas(1);
    }

    @Test
    void refundRequested_refundsTheIntentInFullForTheOrganiser() {
        fixture.givenAggregate(EVENT_AGGREGATE).published(reserved(ORDER))
               .whenAggregate(EVENT_AGGREGATE).publishes(new RefundRequested(EVENT, ORDER, ORGANISER))
               .expectSuccessfulHandlerExecution()
               .expectNoDispatchedCommands();

        assertThat(stripe.calls).containsExactly(List.of("refundInFull", INTENT, "organiser"));
    }

    @Test
    void orderRefunded_endsTheSaga() {
        fixture.givenAggregate(EVENT_AGGREGATE).published(reserved(ORDER), new RefundRequested(EVENT, ORDER, ORGANISER))
               .whenAggregate(EVENT_AGGREGATE).publishes(refunded(ORDER, true))
               .expectActiveSagas(0)
               .expectNoDispatchedCommands();
    }

    @Test
    void orderRefunded_ofARefusedLatePaymentEndsTheSaga() {
        fixture.givenAggregate(EVENT_AGGREGATE).published(reserved(ORDER), expired(ORDER),
                       new LatePaymentRefused(EVENT, ORDER, ALICE, TOTAL, CURRENCY))
               .whenAggregate(EVENT_AGGREGATE).publishes(refunded(ORDER, false))
               .expectActiveSagas(0);
    }

    @Test
    void orderRefunded_ofOneOrderLeavesTheOtherOrdersSaga() {
        fixture.givenAggregate(EVENT_AGGREGATE).published(reserved(ORDER), reserved(ORDER_2))
               .whenAggregate(EVENT_AGGREGATE).publishes(refunded(ORDER, true))
               .expectActiveSagas(1)
               .expectAssociationWith("orderId", ORDER_2);
    }

    @Test
    void afterTheRefundTheOrdersEventsNoLongerReachStripe() {
        fixture.givenAggregate(EVENT_AGGREGATE).published(reserved(ORDER), refunded(ORDER, true))
               .whenAggregate(EVENT_AGGREGATE).publishes(new RefundRequested(EVENT, ORDER, ORGANISER))
               .expectNoDispatchedCommands();

        assertThat(stripe.calls).isEmpty();
    }

    // ---- events ----

    private static TicketsReserved reserved(OrderId orderId) {
        return new TicketsReserved(EVENT, orderId, ALICE, LINES, TOTAL, CURRENCY, NOW, NOW.plus(HOLD),
                "deadline-" + orderId);
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

    /** The one event published: the order's intent, first on the order's payment stream, by Stripe. */
    private static Matcher<List<EventMessage<?>>> intentRecordedByStripe(OrderId order, String intent) {
        Matcher<EventMessage<?>> recorded = predicate(message -> message instanceof DomainEventMessage<?> event
                && event.getPayload().equals(new PaymentIntentCreated(EVENT, order, intent))
                && event.getType().equals(PaymentSaga.ORDER_PAYMENT_STREAM)
                && event.getAggregateIdentifier().equals(order.toString())
                && event.getSequenceNumber() == 0
                && STRIPE.equals(event.getMetaData().get("userId")));
        return exactSequenceOf(recorded, andNoMore());
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

        StripeDouble() {
            super(new StripeSettings(null, null, null, null, null, null), new MockEnvironment());
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

        @Override
        public String createPaymentIntent(OrderId orderId, EventId eventId, long amountCents, String currency) {
            calls.add(List.of("createPaymentIntent", orderId, eventId, amountCents, currency));
            String id = intentIds.get(orderId);
            if (id == null) {
                throw new AssertionError("no intent scripted for order " + orderId);
            }
            return id;
        }

        @Override
        public Intent cancelAbandoned(String paymentIntentId) {
            calls.add(List.of("cancelAbandoned", paymentIntentId));
            return intent(paymentIntentId, statusAfterCancel.getOrDefault(paymentIntentId, "canceled"));
        }

        @Override
        public void refundInFull(String paymentIntentId, String reason) {
            calls.add(List.of("refundInFull", paymentIntentId, reason));
        }

        @Override
        public Intent retrieve(String paymentIntentId) {
            calls.add(List.of("retrieve", paymentIntentId));
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
