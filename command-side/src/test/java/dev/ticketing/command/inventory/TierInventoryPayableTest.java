package dev.ticketing.command.inventory;

import dev.ticketing.api.TierId;
import dev.ticketing.api.inventory.AddTier;
import dev.ticketing.api.inventory.CreateEventInventory;
import dev.ticketing.api.inventory.OrderConfirmed;
import dev.ticketing.api.inventory.ReservedLine;
import dev.ticketing.api.inventory.TicketsReserved;
import dev.ticketing.api.inventory.TierSpec;
import dev.ticketing.api.payment.OrderRefunded;
import dev.ticketing.api.payment.PaymentIntentCreated;
import dev.ticketing.api.payment.PaymentRefused;
import dev.ticketing.api.payment.RecordPaymentIntent;
import dev.ticketing.api.payment.RecordPaymentRefusal;
import dev.ticketing.api.payment.RecordRefundRefusal;
import dev.ticketing.api.payment.RefundRefused;
import dev.ticketing.api.payment.RefundRequested;
import dev.ticketing.api.payment.RequestRefund;
import dev.ticketing.api.rejection.OrderNotPayable;
import dev.ticketing.api.rejection.TierSoldOut;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.ticketing.command.inventory.InventoryFixtures.*;
import static org.axonframework.test.matchers.Matchers.andNoMore;
import static org.axonframework.test.matchers.Matchers.exactSequenceOf;
import static org.axonframework.test.matchers.Matchers.messageWithPayload;
import static org.axonframework.test.matchers.Matchers.predicate;

/**
 * What can be paid, as decided by {@link TierInventory}: free orders need no payment, a payment
 * intent is recorded once per live hold, Stripe's refusals end what they must, and tier prices are
 * ones Stripe can charge.
 */
class TierInventoryPayableTest extends InventoryFixtures {

    private static final String INTENT = "pi_0001";
    private static final TierId FREE = new TierId(UUID.fromString("0000000a-0000-4000-8000-000000000009"));
    private static final String TOO_LARGE = "amount_too_large";
    private static final String TOO_LARGE_REASON = "Stripe cannot take this payment (Amount must be no more than $999,999.99)";

    // ---- free orders ----

    @Test
    void aFreeOrderIsConfirmedAtOnceWithItsTickets() {
        givenCommands(createInventory(freeTier(10)))
                .when(reserve(ORDER, ALICE, lines(FREE, 2)))
                .expectEventsMatching(exactSequenceOf(
                        messageWithPayload(predicate(e -> e instanceof TicketsReserved r && r.totalCents() == 0
                                && r.expiryDeadlineId() == null)),
                        messageWithPayload(predicate(e -> e instanceof OrderConfirmed c && c.orderId().equals(ORDER)
                                && c.totalCents() == 0 && c.tickets().size() == 2 && !c.late())),
                        andNoMore()));
    }

    @Test
    void aFreeOrderSchedulesNoExpiry() {
        givenCommands(createInventory(freeTier(10)))
                .when(reserve(ORDER, ALICE, lines(FREE, 2)))
                .expectNoScheduledDeadlines();
    }

    @Test
    void aFreeOrderLeavesNoPendingOrderBehind() {
        givenCommands(createInventory(freeTier(10)), reserve(ORDER, ALICE, lines(FREE, 2)))
                .when(reserve(ORDER_2, ALICE, lines(FREE, 1)))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void aFreeOrderTakesItsSeats() {
        givenCommands(createInventory(freeTier(2)), reserve(ORDER, ALICE, lines(FREE, 2)))
                .when(reserve(ORDER_2, BOB, lines(FREE, 1)))
                .expectException(rejection(TierSoldOut.class, "TIER_SOLD_OUT",
                        Map.of("tierId", FREE.toString(), "available", 0)));
    }

    @Test
    void aMixedOrderIsHeldForItsPaidPart() {
        givenCommands(createInventory(freeTier(10), generalTier(10)))
                .when(reserve(ORDER, ALICE, lines(FREE, 1, GENERAL, 2)))
                .expectEventsMatching(exactSequenceOf(messageWithPayload(predicate(e -> e instanceof TicketsReserved r
                        && r.totalCents() == 2 * GENERAL_PRICE && r.expiryDeadlineId() == null)), theExpiry(), andNoMore()));
    }

    @Test
    void refundingAFreeOrderGivesItsSeatsBackWithoutStripe() {
        givenCommands(createInventory(freeTier(10)), reserve(ORDER, ALICE, lines(FREE, 2)))
                .when(new RequestRefund(EVENT, ORDER, ORGANISER))
                .expectEvents(new RefundRequested(EVENT, ORDER, ORGANISER),
                        new OrderRefunded(EVENT, ORDER, ALICE, List.of(new ReservedLine(FREE, 2, 0)), 0, CURRENCY, true));
    }

    // ---- the payment intent ----

    @Test
    void recordPaymentIntent_recordsTheBuyersIntentForTheLiveHold() {
        given(inventoryCreated(generalTier(10)), reserved(ORDER, ALICE, generalSeats(2)))
                .when(new RecordPaymentIntent(EVENT, ORDER, INTENT))
                .expectEvents(new PaymentIntentCreated(EVENT, ORDER, INTENT));
    }

    @Test
    void recordPaymentIntent_aSecondTimeRecordsNothing() {
        given(inventoryCreated(generalTier(10)), reserved(ORDER, ALICE, generalSeats(2)),
              new PaymentIntentCreated(EVENT, ORDER, INTENT))
                .when(new RecordPaymentIntent(EVENT, ORDER, INTENT))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void recordPaymentIntent_forAHoldThatEndedIsRefused() {
        given(inventoryCreated(generalTier(10)), reserved(ORDER, ALICE, generalSeats(2)),
              expired(ORDER, ALICE, generalSeats(2)))
                .when(new RecordPaymentIntent(EVENT, ORDER, INTENT))
                .expectException(rejection(OrderNotPayable.class, "ORDER_NOT_PAYABLE",
                        Map.of("orderId", ORDER.toString())))
                .expectNoEvents();
    }

    // ---- Stripe refusing for good ----

    @Test
    void recordPaymentRefusal_releasesTheHoldWithStripesReason() {
        given(inventoryCreated(generalTier(10)), reserved(ORDER, ALICE, generalSeats(2)))
                .when(new RecordPaymentRefusal(EVENT, ORDER, TOO_LARGE, TOO_LARGE_REASON))
                .expectEvents(new PaymentRefused(EVENT, ORDER, ALICE, List.of(generalSeats(2)), TOO_LARGE,
                        TOO_LARGE_REASON));
    }

    @Test
    void recordPaymentRefusal_endsTheHoldBeforeItsExpiry() {
        givenCommands(createInventory(generalTier(10)), reserve(ORDER, ALICE, 2),
                      new RecordPaymentRefusal(EVENT, ORDER, TOO_LARGE, TOO_LARGE_REASON))
                .whenTimeElapses(HOLD.plusSeconds(1))
                .expectEvents(expiryScheduled(null));
    }

    @Test
    void recordPaymentRefusal_putsTheSeatsBackOnSale() {
        given(inventoryCreated(generalTier(2)), reserved(ORDER, ALICE, generalSeats(2)),
              new PaymentRefused(EVENT, ORDER, ALICE, List.of(generalSeats(2)), TOO_LARGE, TOO_LARGE_REASON))
                .when(reserve(ORDER_2, BOB, 2))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void recordRefundRefusal_isRecordedForARequestedRefund() {
        given(inventoryCreated(generalTier(10)), reserved(ORDER, ALICE, generalSeats(2)),
              confirmed(ORDER, ALICE, generalSeats(2)), new RefundRequested(EVENT, ORDER, ORGANISER))
                .when(new RecordRefundRefusal(EVENT, ORDER, "charge_disputed", "disputed"))
                .expectEvents(new RefundRefused(EVENT, ORDER, "charge_disputed", "disputed"));
    }

    @Test
    void recordRefundRefusal_letsTheOrganiserAskAgain() {
        given(inventoryCreated(generalTier(10)), reserved(ORDER, ALICE, generalSeats(2)),
              confirmed(ORDER, ALICE, generalSeats(2)), new RefundRequested(EVENT, ORDER, ORGANISER),
              new RefundRefused(EVENT, ORDER, "charge_disputed", "disputed"))
                .when(new RequestRefund(EVENT, ORDER, ORGANISER))
                .expectEvents(new RefundRequested(EVENT, ORDER, ORGANISER));
    }

    @Test
    void recordRefundRefusal_withoutARefundUnderwayRecordsNothing() {
        given(inventoryCreated(generalTier(10)), reserved(ORDER, ALICE, generalSeats(2)),
              confirmed(ORDER, ALICE, generalSeats(2)))
                .when(new RecordRefundRefusal(EVENT, ORDER, "charge_disputed", "disputed"))
                .expectNoEvents();
    }

    // ---- prices Stripe can charge ----

    @Test
    void aTierPricedBelowStripesMinimumIsRefused() {
        fixture.givenNoPriorActivity()
               .when(createInventory(new TierSpec(GENERAL, "General", 49, 10)))
               .expectException(invalidRequest("tiers.priceCents"))
               .expectNoEvents();
    }

    @Test
    void aTierPricedAboveStripesMaximumIsRefused() {
        fixture.givenNoPriorActivity()
               .when(createInventory(new TierSpec(GENERAL, "General", 100_000_000, 10)))
               .expectException(invalidRequest("tiers.priceCents"))
               .expectNoEvents();
    }

    @Test
    void aFreeTierIsAccepted() {
        fixture.givenNoPriorActivity()
               .when(createInventory(freeTier(10)))
               .expectSuccessfulHandlerExecution();
    }

    @Test
    void aCurrencyStripeDoesNotChargeIsRefused() {
        fixture.givenNoPriorActivity()
               .when(new CreateEventInventory(EVENT, NAME, STARTS_AT, "xyz", null, false, MAX_PER_ORDER,
                       List.of(generalTier(10))))
               .expectException(invalidRequest("currency"))
               .expectNoEvents();
    }

    @Test
    void anAddedTierPricedBelowStripesMinimumIsRefused() {
        given(inventoryCreated(generalTier(10)))
                .when(new AddTier(EVENT, new TierSpec(VIP, "VIP", 10, 5)))
                .expectException(invalidRequest("priceCents"))
                .expectNoEvents();
    }

    private static TierSpec freeTier(int capacity) {
        return new TierSpec(FREE, "Free", 0, capacity);
    }
}
