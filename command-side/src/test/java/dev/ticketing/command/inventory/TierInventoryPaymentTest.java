package dev.ticketing.command.inventory;

import dev.ticketing.api.OrderId;
import dev.ticketing.api.TierId;
import dev.ticketing.api.inventory.ConfirmOrder;
import dev.ticketing.api.inventory.IssuedTicket;
import dev.ticketing.api.inventory.OrderConfirmed;
import dev.ticketing.api.inventory.ReservationExpired;
import dev.ticketing.api.inventory.ReservedLine;
import dev.ticketing.api.payment.LatePaymentRefused;
import dev.ticketing.api.payment.MarkPaymentProcessing;
import dev.ticketing.api.payment.OrderRefunded;
import dev.ticketing.api.payment.PaymentFailed;
import dev.ticketing.api.payment.PaymentIntentCreated;
import dev.ticketing.api.payment.PaymentProcessing;
import dev.ticketing.api.payment.RecordPaymentFailure;
import dev.ticketing.api.payment.RecordRefund;
import dev.ticketing.api.payment.RefundRequested;
import dev.ticketing.api.payment.RequestRefund;
import dev.ticketing.api.payment.StripeFeeRecorded;
import dev.ticketing.api.rejection.EventAtCapacity;
import dev.ticketing.api.rejection.TierSoldOut;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeDiagnosingMatcher;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static dev.ticketing.command.inventory.InventoryFixtures.*;
import static org.axonframework.test.matchers.Matchers.andNoMore;
import static org.axonframework.test.matchers.Matchers.exactSequenceOf;
import static org.axonframework.test.matchers.Matchers.messageWithPayload;
import static org.axonframework.test.matchers.Matchers.predicate;

/**
 * The payment lifecycle of an order, as decided by {@link TierInventory}: the payment intent, Stripe
 * settling (processing), failed attempts, confirmation on time or late, Stripe's fee and refunds. The
 * fixture's clock starts at {@link InventoryFixtures#NOW}, when every reservation is requested, so a
 * hold ends at {@link InventoryFixtures#EXPIRES_AT}, when the inventory's expiry deadline runs. Tests
 * about deadlines build the aggregate from commands, so that its deadline is really scheduled.
 */
class TierInventoryPaymentTest extends InventoryFixtures {

    private static final String INTENT = "pi_0001";

    /** Until when a hold lasts while Stripe settles its payment: well after its usual end. */
    private static final Instant HOLD_UNTIL = NOW.plus(Duration.ofHours(1));
    private static final Instant FAILED_AT = NOW.plus(Duration.ofMinutes(5));
    private static final String DECLINED = "card_declined";
    private static final String DECLINED_MESSAGE = "Your card was declined.";

    // ---- ConfirmOrder ----

    @Test
    void confirmOrder_aLiveHoldIsSoldOnTime() {
        given(inventoryCreated(generalTier(10), vipTier(4)), reserved(ORDER, ALICE, generalSeats(2), vipSeats(1)))
                .when(new ConfirmOrder(EVENT, ORDER, CONFIRMED_AT))
                .expectEventsMatching(exactSequenceOf(messageWithPayload(
                        orderConfirmed(ORDER, ALICE, false, generalSeats(2), vipSeats(1))), andNoMore()))
                .expectResultMessagePayloadMatching(predicate(
                        (OrderConfirmed confirmed) -> confirmed.orderId().equals(ORDER)
                                && confirmed.confirmedAt().equals(CONFIRMED_AT)));
    }

    @Test
    void confirmOrder_aLiveHoldNoLongerExpires() {
        givenCommands(createInventory(generalTier(10)), reserve(ORDER, ALICE, 2),
                      new ConfirmOrder(EVENT, ORDER, CONFIRMED_AT))
                .whenTimeElapses(HOLD.plusSeconds(1))
                .expectDeadlinesMet(new TierInventory.HoldsExpiry(EXPIRES_AT))
                .expectEvents(expiryScheduled(null));
    }

    @Test
    void confirmOrder_afterExpiryWithTheSeatsStillFreeIsALateSale() {
        given(inventoryCreated(generalTier(10)), reserved(ORDER, ALICE, generalSeats(2)),
              expired(ORDER, ALICE, generalSeats(2)))
                .when(new ConfirmOrder(EVENT, ORDER, CONFIRMED_AT))
                .expectEventsMatching(exactSequenceOf(messageWithPayload(
                        orderConfirmed(ORDER, ALICE, true, generalSeats(2))), andNoMore()));
    }

    @Test
    void confirmOrder_afterCancellationWithTheSeatsStillFreeIsALateSale() {
        given(inventoryCreated(generalTier(10)), reserved(ORDER, ALICE, generalSeats(2)),
              cancelled(ORDER, ALICE, generalSeats(2)))
                .when(new ConfirmOrder(EVENT, ORDER, CONFIRMED_AT))
                .expectEventsMatching(exactSequenceOf(messageWithPayload(
                        orderConfirmed(ORDER, ALICE, true, generalSeats(2))), andNoMore()));
    }

    @Test
    void confirmOrder_aLateSaleTakesItsSeats() {
        given(inventoryCreated(generalTier(2)), reserved(ORDER, ALICE, generalSeats(2)),
              expired(ORDER, ALICE, generalSeats(2)))
                .andGivenCommands(new ConfirmOrder(EVENT, ORDER, CONFIRMED_AT))
                .when(reserve(ORDER_2, BOB, 1))
                .expectException(rejection(TierSoldOut.class, "TIER_SOLD_OUT",
                        Map.of("tierId", GENERAL.toString(), "available", 0)))
                .expectNoEvents();
    }

    @Test
    void confirmOrder_afterExpiryWithTheSeatsGoneIsRefused() {
        given(inventoryCreated(generalTier(2)), reserved(ORDER, ALICE, generalSeats(2)),
              expired(ORDER, ALICE, generalSeats(2)), reserved(ORDER_2, BOB, generalSeats(1)))
                .when(new ConfirmOrder(EVENT, ORDER, CONFIRMED_AT))
                .expectEvents(new LatePaymentRefused(EVENT, ORDER, ALICE, 2 * GENERAL_PRICE, CURRENCY));
    }

    @Test
    void confirmOrder_afterCancellationWithTheEventFullIsRefused() {
        given(inventoryCreatedWithMaxAttendees(2, generalTier(10)), reserved(ORDER, ALICE, generalSeats(2)),
              cancelled(ORDER, ALICE, generalSeats(2)), reserved(ORDER_2, BOB, generalSeats(1)))
                .when(new ConfirmOrder(EVENT, ORDER, CONFIRMED_AT))
                .expectEvents(new LatePaymentRefused(EVENT, ORDER, ALICE, 2 * GENERAL_PRICE, CURRENCY));
    }

    @Test
    void confirmOrder_aRepeatAfterALateSaleChangesNothing() {
        given(inventoryCreated(generalTier(10)), reserved(ORDER, ALICE, generalSeats(2)),
              expired(ORDER, ALICE, generalSeats(2)), lateConfirmed(ORDER, ALICE, generalSeats(2)))
                .when(new ConfirmOrder(EVENT, ORDER, CONFIRMED_AT))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void confirmOrder_aRepeatAfterTheLatePaymentWasRefusedChangesNothingEvenWithSeatsFreeAgain() {
        given(inventoryCreated(generalTier(2)), reserved(ORDER, ALICE, generalSeats(2)),
              expired(ORDER, ALICE, generalSeats(2)), reserved(ORDER_2, BOB, generalSeats(1)),
              latePaymentRefused(ORDER, ALICE, 2 * GENERAL_PRICE), expired(ORDER_2, BOB, generalSeats(1)))
                .when(new ConfirmOrder(EVENT, ORDER, CONFIRMED_AT))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void confirmOrder_aRepeatAfterTheRefundChangesNothing() {
        given(inventoryCreated(generalTier(10)), reserved(ORDER, ALICE, generalSeats(2)),
              confirmed(ORDER, ALICE, generalSeats(2)), refunded(ORDER, ALICE, true, generalSeats(2)))
                .when(new ConfirmOrder(EVENT, ORDER, CONFIRMED_AT))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void confirmOrder_whileProcessingIsOnTime() {
        givenCommands(createInventory(generalTier(10)), reserve(ORDER, ALICE, 2), processing(ORDER, HOLD_UNTIL))
                .when(new ConfirmOrder(EVENT, ORDER, CONFIRMED_AT))
                .expectEventsMatching(exactSequenceOf(messageWithPayload(
                        orderConfirmed(ORDER, ALICE, false, generalSeats(2))), andNoMore()));
    }

    @Test
    void confirmOrder_issuesOneTicketPerSeatWithDistinctCodes() {
        given(inventoryCreated(generalTier(10), vipTier(4)), reserved(ORDER, ALICE, generalSeats(2), vipSeats(1)))
                .when(new ConfirmOrder(EVENT, ORDER, CONFIRMED_AT))
                .expectEventsMatching(exactSequenceOf(
                        messageWithPayload(ticketsFor(GENERAL, GENERAL, VIP)), andNoMore()));
    }

    @Test
    void confirmOrder_afterCancellationWithTheSeatsGoneIsRefused() {
        given(inventoryCreated(generalTier(2)), reserved(ORDER, ALICE, generalSeats(2)),
              cancelled(ORDER, ALICE, generalSeats(2)), reserved(ORDER_2, BOB, generalSeats(1)))
                .when(new ConfirmOrder(EVENT, ORDER, CONFIRMED_AT))
                .expectEvents(new LatePaymentRefused(EVENT, ORDER, ALICE, 2 * GENERAL_PRICE, CURRENCY));
    }

    @Test
    void confirmOrder_aRepeatOfAnOnTimeSaleChangesNothing() {
        given(inventoryCreated(generalTier(10)), reserved(ORDER, ALICE, generalSeats(2)),
              confirmed(ORDER, ALICE, generalSeats(2)))
                .when(new ConfirmOrder(EVENT, ORDER, CONFIRMED_AT))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void confirmOrder_anUnknownOrderIsNotConfirmable() {
        given(inventoryCreated(generalTier(10)))
                .when(new ConfirmOrder(EVENT, UNKNOWN_ORDER, CONFIRMED_AT))
                .expectException(orderNotConfirmable(UNKNOWN_ORDER))
                .expectNoEvents();
    }

    // ---- a hold the buyer started to pay ----

    @Test
    void aFailedAttemptLeavesAHoldWithItsIntentReserved() {
        given(inventoryCreated(generalTier(10)), reserved(ORDER, ALICE, generalSeats(2)), expiryScheduled(EXPIRES_AT),
              new PaymentIntentCreated(EVENT, ORDER, INTENT))
                .when(failure(ORDER, FAILED_AT))
                .expectEvents(new PaymentFailed(EVENT, ORDER, DECLINED, DECLINED_MESSAGE, EXPIRES_AT, null));
    }

    // ---- MarkPaymentProcessing ----

    @Test
    void markProcessing_keepsTheHoldUntilHoldUntil() {
        givenCommands(createInventory(generalTier(10)), reserve(ORDER, ALICE, 2))
                .when(processing(ORDER, HOLD_UNTIL))
                .expectEvents(new PaymentProcessing(EVENT, ORDER, HOLD_UNTIL, null));
    }

    @Test
    void markProcessing_neverShortensTheHold() {
        Instant tooSoon = NOW.plus(Duration.ofMinutes(5));
        givenCommands(createInventory(generalTier(10)), reserve(ORDER, ALICE, 2))
                .when(processing(ORDER, tooSoon))
                .expectEvents(new PaymentProcessing(EVENT, ORDER, EXPIRES_AT, null));
    }

    @Test
    void markProcessing_theHoldDoesNotExpireAtItsUsualTime_theExpiryLooksAgainAtHoldUntil() {
        givenCommands(createInventory(generalTier(10)), reserve(ORDER, ALICE, 2), processing(ORDER, HOLD_UNTIL))
                .whenTimeElapses(HOLD.plusSeconds(1))
                .expectDeadlinesMet(new TierInventory.HoldsExpiry(EXPIRES_AT))
                .expectEvents(expiryScheduled(HOLD_UNTIL))
                .expectScheduledDeadline(HOLD_UNTIL, new TierInventory.HoldsExpiry(HOLD_UNTIL));
    }

    @Test
    void markProcessing_theHoldExpiresAtHoldUntil() {
        givenCommands(createInventory(generalTier(10)), reserve(ORDER, ALICE, 2), processing(ORDER, HOLD_UNTIL))
                .whenTimeAdvancesTo(HOLD_UNTIL)
                .expectTriggeredDeadlinesWithName(HOLDS_EXPIRY, HOLDS_EXPIRY)
                .expectEvents(expiryScheduled(HOLD_UNTIL),
                        new ReservationExpired(EVENT, ORDER, ALICE, List.of(generalSeats(2))), expiryScheduled(null));
    }

    @Test
    void markProcessing_aRepeatWhileProcessingChangesNothing() {
        Instant later = HOLD_UNTIL.plus(Duration.ofHours(1));

        givenCommands(createInventory(generalTier(10)), reserve(ORDER, ALICE, 2), processing(ORDER, HOLD_UNTIL))
                .when(processing(ORDER, later))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void markProcessing_ofAnOrderWhoseHoldEndedDoesNothing() {
        given(inventoryCreated(generalTier(10)), reserved(ORDER, ALICE, generalSeats(2)),
              expired(ORDER, ALICE, generalSeats(2)))
                .when(processing(ORDER, HOLD_UNTIL))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectNoScheduledDeadlines();
    }

    @Test
    void markProcessing_ofAnUnknownOrderDoesNothing() {
        given(inventoryCreated(generalTier(10)))
                .when(processing(UNKNOWN_ORDER, HOLD_UNTIL))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectNoScheduledDeadlines();
    }

    @Test
    void markProcessing_aConfirmedProcessingHoldDoesNotExpireAtHoldUntil() {
        givenCommands(createInventory(generalTier(10)), reserve(ORDER, ALICE, 2), processing(ORDER, HOLD_UNTIL),
                      new ConfirmOrder(EVENT, ORDER, CONFIRMED_AT))
                .whenTimeAdvancesTo(HOLD_UNTIL.plusSeconds(1))
                .expectEvents(expiryScheduled(null));
    }

    // ---- RecordPaymentFailure ----

    @Test
    void paymentFailure_beforeTheHoldEndsEmitsPaymentFailedAndKeepsTheHold() {
        givenCommands(createInventory(generalTier(10)), reserve(ORDER, ALICE, 2))
                .when(failure(ORDER, FAILED_AT))
                .expectEvents(new PaymentFailed(EVENT, ORDER, DECLINED, DECLINED_MESSAGE, EXPIRES_AT, null))
                .expectScheduledDeadline(EXPIRES_AT, new TierInventory.HoldsExpiry(EXPIRES_AT));
    }

    @Test
    void paymentFailure_aHoldThatFailedOnceMayStillBeConfirmedOnTime() {
        givenCommands(createInventory(generalTier(10)), reserve(ORDER, ALICE, 2), failure(ORDER, FAILED_AT))
                .when(new ConfirmOrder(EVENT, ORDER, FAILED_AT.plusSeconds(30)))
                .expectEventsMatching(exactSequenceOf(messageWithPayload(
                        orderConfirmed(ORDER, ALICE, false, generalSeats(2))), andNoMore()));
    }

    @Test
    void paymentFailure_duringProcessingBringsBackTheUsualEnd() {
        givenCommands(createInventory(generalTier(10)), reserve(ORDER, ALICE, 2), processing(ORDER, HOLD_UNTIL))
                .when(failure(ORDER, FAILED_AT))
                .expectEvents(new PaymentFailed(EVENT, ORDER, DECLINED, DECLINED_MESSAGE, EXPIRES_AT, null))
                .expectScheduledDeadline(EXPIRES_AT, new TierInventory.HoldsExpiry(EXPIRES_AT));
    }

    @Test
    void paymentFailure_duringProcessingThenAConfirmationIsOnTime() {
        givenCommands(createInventory(generalTier(10)), reserve(ORDER, ALICE, 2), processing(ORDER, HOLD_UNTIL),
                      failure(ORDER, FAILED_AT))
                .when(new ConfirmOrder(EVENT, ORDER, FAILED_AT.plusSeconds(30)))
                .expectEventsMatching(exactSequenceOf(messageWithPayload(
                        orderConfirmed(ORDER, ALICE, false, generalSeats(2))), andNoMore()));
    }

    @Test
    void paymentFailure_duringProcessingEndsIt_soStripeSettlingAgainKeepsTheHoldAgain() {
        Instant later = HOLD_UNTIL.plus(Duration.ofMinutes(30));

        givenCommands(createInventory(generalTier(10)), reserve(ORDER, ALICE, 2), processing(ORDER, HOLD_UNTIL),
                      failure(ORDER, FAILED_AT))
                .when(processing(ORDER, later))
                .expectEvents(new PaymentProcessing(EVENT, ORDER, later, null));
    }

    @Test
    void paymentFailure_duringProcessingTheHoldThenExpiresAtItsUsualTime() {
        givenCommands(createInventory(generalTier(10)), reserve(ORDER, ALICE, 2), processing(ORDER, HOLD_UNTIL),
                      failure(ORDER, FAILED_AT))
                .whenTimeElapses(HOLD.plusSeconds(1))
                .expectDeadlinesMet(new TierInventory.HoldsExpiry(EXPIRES_AT))
                .expectEvents(new ReservationExpired(EVENT, ORDER, ALICE, List.of(generalSeats(2))),
                        expiryScheduled(null));
    }

    @Test
    void paymentFailure_afterTheHoldsUsualEndWhileProcessingExpiresTheOrder() {
        givenCommands(createInventory(generalTier(10)), reserve(ORDER, ALICE, 2), processing(ORDER, HOLD_UNTIL))
                .when(failure(ORDER, EXPIRES_AT.plus(Duration.ofMinutes(10))))
                .expectEvents(new ReservationExpired(EVENT, ORDER, ALICE, List.of(generalSeats(2))));
    }

    @Test
    void paymentFailure_exactlyAtTheHoldsEndExpiresTheOrder() {
        givenCommands(createInventory(generalTier(10)), reserve(ORDER, ALICE, 2))
                .when(failure(ORDER, EXPIRES_AT))
                .expectEvents(new ReservationExpired(EVENT, ORDER, ALICE, List.of(generalSeats(2))));
    }

    @Test
    void paymentFailure_afterTheHoldsEndReleasesTheSeats() {
        givenCommands(createInventory(generalTier(2)), reserve(ORDER, ALICE, 2), processing(ORDER, HOLD_UNTIL),
                      failure(ORDER, EXPIRES_AT.plus(Duration.ofMinutes(10))))
                .when(reserve(ORDER_2, BOB, 2))
                .expectEventsMatching(exactSequenceOf(messageWithPayload(
                        holdOf(ORDER_2, BOB, generalSeats(2))), andNoMore()));
    }

    @Test
    void paymentFailure_afterTheHoldsEndLeavesAnExpiredOrderThatALatePaymentMayStillBuy() {
        givenCommands(createInventory(generalTier(10)), reserve(ORDER, ALICE, 2), processing(ORDER, HOLD_UNTIL),
                      failure(ORDER, EXPIRES_AT.plus(Duration.ofMinutes(10))))
                .when(new ConfirmOrder(EVENT, ORDER, EXPIRES_AT.plus(Duration.ofMinutes(20))))
                .expectEventsMatching(exactSequenceOf(messageWithPayload(
                        orderConfirmed(ORDER, ALICE, true, generalSeats(2))), andNoMore()));
    }

    @Test
    void paymentFailure_ofAnOrderWhoseHoldEndedDoesNothing() {
        given(inventoryCreated(generalTier(10)), reserved(ORDER, ALICE, generalSeats(2)),
              confirmed(ORDER, ALICE, generalSeats(2)))
                .when(failure(ORDER, FAILED_AT))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void paymentFailure_ofAnUnknownOrderDoesNothing() {
        given(inventoryCreated(generalTier(10)))
                .when(failure(UNKNOWN_ORDER, FAILED_AT))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    // ---- stored events the inventory no longer handles ----

    @Test
    void aStripeFeeInTheInventorysOwnStreamIsPassedOver() {
        given(inventoryCreated(generalTier(10)), reserved(ORDER, ALICE, generalSeats(2)),
              confirmed(ORDER, ALICE, generalSeats(2)),
              new StripeFeeRecorded(EVENT, ORDER, "txn_0001", 170, CURRENCY))
                .when(new RequestRefund(EVENT, ORDER, ORGANISER))
                .expectSuccessfulHandlerExecution();
    }

    // ---- RequestRefund ----

    @Test
    void requestRefund_ofAConfirmedOrderEmitsRefundRequested() {
        given(inventoryCreated(generalTier(10)), reserved(ORDER, ALICE, generalSeats(2)),
              confirmed(ORDER, ALICE, generalSeats(2)))
                .when(new RequestRefund(EVENT, ORDER, ORGANISER))
                .expectEvents(new RefundRequested(EVENT, ORDER, ORGANISER));
    }

    @Test
    void requestRefund_ofALateSaleEmitsRefundRequested() {
        given(inventoryCreated(generalTier(10)), reserved(ORDER, ALICE, generalSeats(2)),
              expired(ORDER, ALICE, generalSeats(2)), lateConfirmed(ORDER, ALICE, generalSeats(2)))
                .when(new RequestRefund(EVENT, ORDER, ORGANISER))
                .expectEvents(new RefundRequested(EVENT, ORDER, ORGANISER));
    }

    @Test
    void requestRefund_aRepeatWhileTheRefundIsPendingDoesNothing() {
        given(inventoryCreated(generalTier(10)), reserved(ORDER, ALICE, generalSeats(2)),
              confirmed(ORDER, ALICE, generalSeats(2)), new RefundRequested(EVENT, ORDER, ORGANISER))
                .when(new RequestRefund(EVENT, ORDER, ORGANISER))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void requestRefund_ofALiveHoldIsNotRefundable() {
        given(inventoryCreated(generalTier(10)), reserved(ORDER, ALICE, generalSeats(2)))
                .when(new RequestRefund(EVENT, ORDER, ORGANISER))
                .expectException(orderNotRefundable(ORDER))
                .expectNoEvents();
    }

    @Test
    void requestRefund_ofAnExpiredOrderIsNotRefundable() {
        given(inventoryCreated(generalTier(10)), reserved(ORDER, ALICE, generalSeats(2)),
              expired(ORDER, ALICE, generalSeats(2)))
                .when(new RequestRefund(EVENT, ORDER, ORGANISER))
                .expectException(orderNotRefundable(ORDER))
                .expectNoEvents();
    }

    @Test
    void requestRefund_ofACancelledOrderIsNotRefundable() {
        given(inventoryCreated(generalTier(10)), reserved(ORDER, ALICE, generalSeats(2)),
              cancelled(ORDER, ALICE, generalSeats(2)))
                .when(new RequestRefund(EVENT, ORDER, ORGANISER))
                .expectException(orderNotRefundable(ORDER))
                .expectNoEvents();
    }

    @Test
    void requestRefund_ofARefusedLatePaymentIsNotRefundable() {
        given(inventoryCreated(generalTier(2)), reserved(ORDER, ALICE, generalSeats(2)),
              expired(ORDER, ALICE, generalSeats(2)), reserved(ORDER_2, BOB, generalSeats(1)),
              latePaymentRefused(ORDER, ALICE, 2 * GENERAL_PRICE))
                .when(new RequestRefund(EVENT, ORDER, ORGANISER))
                .expectException(orderNotRefundable(ORDER))
                .expectNoEvents();
    }

    @Test
    void requestRefund_ofARefundedOrderIsNotRefundable() {
        given(inventoryCreated(generalTier(10)), reserved(ORDER, ALICE, generalSeats(2)),
              confirmed(ORDER, ALICE, generalSeats(2)), refunded(ORDER, ALICE, true, generalSeats(2)))
                .when(new RequestRefund(EVENT, ORDER, ORGANISER))
                .expectException(orderNotRefundable(ORDER))
                .expectNoEvents();
    }

    @Test
    void requestRefund_ofAnUnknownOrderIsNotRefundable() {
        given(inventoryCreated(generalTier(10)))
                .when(new RequestRefund(EVENT, UNKNOWN_ORDER, ORGANISER))
                .expectException(orderNotRefundable(UNKNOWN_ORDER))
                .expectNoEvents();
    }

    // ---- RecordRefund ----

    @Test
    void recordRefund_ofASoldOrderReleasesItsSeats() {
        given(inventoryCreated(generalTier(10), vipTier(4)), reserved(ORDER, ALICE, generalSeats(2), vipSeats(1)),
              confirmed(ORDER, ALICE, generalSeats(2), vipSeats(1)))
                .when(new RecordRefund(EVENT, ORDER, 14_000))
                .expectEvents(new OrderRefunded(EVENT, ORDER, ALICE, List.of(generalSeats(2), vipSeats(1)), 14_000,
                        CURRENCY, true));
    }

    @Test
    void recordRefund_ofARequestedRefundReleasesTheSeats() {
        given(inventoryCreated(generalTier(10)), reserved(ORDER, ALICE, generalSeats(2)),
              confirmed(ORDER, ALICE, generalSeats(2)), new RefundRequested(EVENT, ORDER, ORGANISER))
                .when(new RecordRefund(EVENT, ORDER, 2 * GENERAL_PRICE))
                .expectEvents(new OrderRefunded(EVENT, ORDER, ALICE, List.of(generalSeats(2)), 2 * GENERAL_PRICE,
                        CURRENCY, true));
    }

    @Test
    void recordRefund_ofALateSaleReleasesItsSeats() {
        given(inventoryCreated(generalTier(10)), reserved(ORDER, ALICE, generalSeats(2)),
              expired(ORDER, ALICE, generalSeats(2)), lateConfirmed(ORDER, ALICE, generalSeats(2)))
                .when(new RecordRefund(EVENT, ORDER, 2 * GENERAL_PRICE))
                .expectEvents(new OrderRefunded(EVENT, ORDER, ALICE, List.of(generalSeats(2)), 2 * GENERAL_PRICE,
                        CURRENCY, true));
    }

    @Test
    void recordRefund_ofARefusedLatePaymentReleasesNoSeats() {
        given(inventoryCreated(generalTier(2)), reserved(ORDER, ALICE, generalSeats(2)),
              expired(ORDER, ALICE, generalSeats(2)), reserved(ORDER_2, BOB, generalSeats(1)),
              latePaymentRefused(ORDER, ALICE, 2 * GENERAL_PRICE))
                .when(new RecordRefund(EVENT, ORDER, 2 * GENERAL_PRICE))
                .expectEvents(new OrderRefunded(EVENT, ORDER, ALICE, List.of(generalSeats(2)), 2 * GENERAL_PRICE,
                        CURRENCY, false));
    }

    @Test
    void recordRefund_aRepeatAfterTheRefundDoesNothing() {
        given(inventoryCreated(generalTier(10)), reserved(ORDER, ALICE, generalSeats(2)),
              confirmed(ORDER, ALICE, generalSeats(2)), refunded(ORDER, ALICE, true, generalSeats(2)))
                .when(new RecordRefund(EVENT, ORDER, 2 * GENERAL_PRICE))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void recordRefund_ofALiveHoldDoesNothing() {
        given(inventoryCreated(generalTier(10)), reserved(ORDER, ALICE, generalSeats(2)))
                .when(new RecordRefund(EVENT, ORDER, 2 * GENERAL_PRICE))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void recordRefund_ofAnExpiredOrderDoesNothing() {
        given(inventoryCreated(generalTier(10)), reserved(ORDER, ALICE, generalSeats(2)),
              expired(ORDER, ALICE, generalSeats(2)))
                .when(new RecordRefund(EVENT, ORDER, 2 * GENERAL_PRICE))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void recordRefund_ofAnUnknownOrderDoesNothing() {
        given(inventoryCreated(generalTier(10)))
                .when(new RecordRefund(EVENT, UNKNOWN_ORDER, 2 * GENERAL_PRICE))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void recordRefund_theSeatsOfARefundedSaleCanBeReservedAgain() {
        given(inventoryCreated(generalTier(2)), reserved(ORDER, ALICE, generalSeats(2)),
              confirmed(ORDER, ALICE, generalSeats(2)))
                .andGivenCommands(new RecordRefund(EVENT, ORDER, 2 * GENERAL_PRICE))
                .when(reserve(ORDER_2, BOB, 2))
                .expectEventsMatching(exactSequenceOf(messageWithPayload(
                        holdOf(ORDER_2, BOB, generalSeats(2))), theExpiry(), andNoMore()));
    }

    @Test
    void recordRefund_aRefundedSaleNoLongerCountsAgainstMaxAttendees() {
        given(inventoryCreatedWithMaxAttendees(2, generalTier(10)), reserved(ORDER, ALICE, generalSeats(2)),
              confirmed(ORDER, ALICE, generalSeats(2)), new RefundRequested(EVENT, ORDER, ORGANISER))
                .andGivenCommands(new RecordRefund(EVENT, ORDER, 2 * GENERAL_PRICE))
                .when(reserve(ORDER_2, BOB, 2))
                .expectEventsMatching(exactSequenceOf(messageWithPayload(
                        holdOf(ORDER_2, BOB, generalSeats(2))), theExpiry(), andNoMore()));
    }

    @Test
    void recordRefund_theSeatsOfARefundedLateSaleCanBeReservedAgain() {
        given(inventoryCreatedWithMaxAttendees(2, generalTier(2)), reserved(ORDER, ALICE, generalSeats(2)),
              expired(ORDER, ALICE, generalSeats(2)))
                .andGivenCommands(new ConfirmOrder(EVENT, ORDER, CONFIRMED_AT),
                                  new RecordRefund(EVENT, ORDER, 2 * GENERAL_PRICE))
                .when(reserve(ORDER_2, BOB, 2))
                .expectEventsMatching(exactSequenceOf(messageWithPayload(
                        holdOf(ORDER_2, BOB, generalSeats(2))), theExpiry(), andNoMore()));
    }

    @Test
    void recordRefund_aRefusedLatePaymentNeverTouchesTheTierCounts() {
        // 2 seats: Bob holds 1 while Alice's late payment for 2 is refused, then refunded
        given(inventoryCreated(generalTier(2)), reserved(ORDER, ALICE, generalSeats(2)),
              cancelled(ORDER, ALICE, generalSeats(2)), reserved(ORDER_2, BOB, generalSeats(1)))
                .andGivenCommands(new ConfirmOrder(EVENT, ORDER, CONFIRMED_AT),
                                  new RecordRefund(EVENT, ORDER, 2 * GENERAL_PRICE))
                .when(reserve(ORDER_3, CAROL, 2))
                .expectException(rejection(TierSoldOut.class, "TIER_SOLD_OUT",
                        Map.of("tierId", GENERAL.toString(), "available", 1)))
                .expectNoEvents();
    }

    @Test
    void recordRefund_aRefusedLatePaymentNeverTouchesTheMaxAttendeesCount() {
        given(inventoryCreatedWithMaxAttendees(2, generalTier(10)), reserved(ORDER, ALICE, generalSeats(2)),
              expired(ORDER, ALICE, generalSeats(2)), reserved(ORDER_2, BOB, generalSeats(1)))
                .andGivenCommands(new ConfirmOrder(EVENT, ORDER, CONFIRMED_AT),
                                  new RecordRefund(EVENT, ORDER, 2 * GENERAL_PRICE))
                .when(reserve(ORDER_3, CAROL, 2))
                .expectException(rejection(EventAtCapacity.class, "EVENT_AT_CAPACITY", Map.of("available", 1)))
                .expectNoEvents();
    }

    @Test
    void recordRefund_aRefusedLatePaymentLeavesTheFreeSeatOnSale() {
        given(inventoryCreatedWithMaxAttendees(2, generalTier(2)), reserved(ORDER, ALICE, generalSeats(2)),
              expired(ORDER, ALICE, generalSeats(2)), reserved(ORDER_2, BOB, generalSeats(1)))
                .andGivenCommands(new ConfirmOrder(EVENT, ORDER, CONFIRMED_AT),
                                  new RecordRefund(EVENT, ORDER, 2 * GENERAL_PRICE))
                .when(reserve(ORDER_3, CAROL, 1))
                .expectEventsMatching(exactSequenceOf(messageWithPayload(
                        holdOf(ORDER_3, CAROL, generalSeats(1))), theExpiry(), andNoMore()));
    }

    // ---- commands ----

    private static MarkPaymentProcessing processing(OrderId orderId, Instant holdUntil) {
        return new MarkPaymentProcessing(EVENT, orderId, holdUntil);
    }

    private static RecordPaymentFailure failure(OrderId orderId, Instant at) {
        return new RecordPaymentFailure(EVENT, orderId, DECLINED, DECLINED_MESSAGE, at);
    }

    // ---- events ----

    private static LatePaymentRefused latePaymentRefused(OrderId orderId, String userId, long amountCents) {
        return new LatePaymentRefused(EVENT, orderId, userId, amountCents, CURRENCY);
    }

    private static OrderRefunded refunded(OrderId orderId, String userId, boolean seatsReleased,
                                          ReservedLine... lines) {
        return new OrderRefunded(EVENT, orderId, userId, List.of(lines), total(lines), CURRENCY, seatsReleased);
    }

    // ---- matchers ----

    /** An OrderConfirmed with one ticket per seat, of these tiers in order, with distinct ids and codes. */
    private static Matcher<Object> ticketsFor(TierId... tierOfEachSeat) {
        return new TypeSafeDiagnosingMatcher<>() {
            @Override
            protected boolean matchesSafely(Object item, Description mismatch) {
                if (!(item instanceof OrderConfirmed confirmed)) {
                    mismatch.appendText("was ").appendValue(item);
                    return false;
                }
                List<IssuedTicket> tickets = confirmed.tickets();
                boolean tiers = tickets.stream().map(IssuedTicket::tierId).toList().equals(List.of(tierOfEachSeat));
                boolean codes = tickets.stream().allMatch(t -> t.code() != null && !t.code().isBlank())
                        && new HashSet<>(tickets.stream().map(IssuedTicket::code).toList()).size() == tickets.size();
                boolean ids = tickets.stream().allMatch(t -> t.ticketId() != null)
                        && new HashSet<>(tickets.stream().map(IssuedTicket::ticketId).toList()).size() == tickets.size();
                if (!(tiers && codes && ids)) {
                    mismatch.appendText("tickets were ").appendValue(tickets);
                }
                return tiers && codes && ids;
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("OrderConfirmed with tickets of tiers ").appendValueList("[", ", ", "]",
                        tierOfEachSeat).appendText(", distinct non-blank codes and distinct ticket ids");
            }
        };
    }

    /**
     * An OrderConfirmed of these lines at their total, on time or late, with one ticket per seat of
     * the line's tier. The confirmation time is not checked: each test confirms at its own time.
     */
    private static Matcher<Object> orderConfirmed(OrderId orderId, String userId, boolean late,
                                                  ReservedLine... lines) {
        List<TierId> tierOfEachSeat = new ArrayList<>();
        for (ReservedLine line : lines) {
            for (int i = 0; i < line.quantity(); i++) {
                tierOfEachSeat.add(line.tierId());
            }
        }
        return new TypeSafeDiagnosingMatcher<>() {
            @Override
            protected boolean matchesSafely(Object item, Description mismatch) {
                boolean matches = item instanceof OrderConfirmed confirmed
                        && confirmed.eventId().equals(EVENT)
                        && confirmed.orderId().equals(orderId)
                        && confirmed.userId().equals(userId)
                        && confirmed.lines().equals(List.of(lines))
                        && confirmed.totalCents() == total(lines)
                        && confirmed.currency().equals(CURRENCY)
                        && confirmed.confirmedAt() != null
                        && confirmed.late() == late
                        && confirmed.tickets().stream().map(IssuedTicket::tierId).toList().equals(tierOfEachSeat);
                if (!matches) {
                    mismatch.appendText("was ").appendValue(item);
                }
                return matches;
            }

            @Override
            public void describeTo(Description description) {
                description.appendText(late ? "a late" : "an on-time").appendText(" OrderConfirmed of order ")
                           .appendValue(orderId).appendText(" for ").appendValue(userId).appendText(" of ")
                           .appendValueList("[", ", ", "]", lines).appendText(" with one ticket per seat");
            }
        };
    }
}
