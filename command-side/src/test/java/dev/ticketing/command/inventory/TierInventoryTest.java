package dev.ticketing.command.inventory;

import dev.ticketing.api.inventory.AddTier;
import dev.ticketing.api.inventory.CancelReservation;
import dev.ticketing.api.inventory.ChangeTierCapacity;
import dev.ticketing.api.inventory.CreateEventInventory;
import dev.ticketing.api.inventory.EventInventoryCreated;
import dev.ticketing.api.inventory.ReservationCancelled;
import dev.ticketing.api.inventory.ReservationExpired;
import dev.ticketing.api.inventory.ReserveTickets;
import dev.ticketing.api.inventory.ReservedLine;
import dev.ticketing.api.inventory.TicketsReserved;
import dev.ticketing.api.inventory.TierAdded;
import dev.ticketing.api.inventory.TierCapacityChanged;
import dev.ticketing.api.inventory.TierSpec;
import dev.ticketing.api.rejection.CapacityBelowCommitted;
import dev.ticketing.api.rejection.EventAtCapacity;
import dev.ticketing.api.rejection.MembershipRequired;
import dev.ticketing.api.rejection.PendingOrderExists;
import dev.ticketing.api.rejection.TierNotFound;
import dev.ticketing.api.rejection.TierSoldOut;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.ticketing.command.inventory.InventoryFixtures.*;
import static org.axonframework.test.matchers.Matchers.andNoMore;
import static org.axonframework.test.matchers.Matchers.exactSequenceOf;
import static org.axonframework.test.matchers.Matchers.messageWithPayload;
import static org.axonframework.test.matchers.Matchers.predicate;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * The rules of one event's tickets, as decided by {@link TierInventory}. The fixture's clock starts at
 * {@link InventoryFixtures#NOW}, which is also when every reservation is requested, so the holds expire
 * at {@code NOW + HOLD} both in the events and in the fixture's deadline manager.
 */
class TierInventoryTest extends InventoryFixtures {

    // ---- CreateEventInventory ----
    @Test
    void createInventory_emitsEventInventoryCreatedWithEverySetting() {
        fixture.givenNoPriorActivity()
               .when(new CreateEventInventory(EVENT, NAME, STARTS_AT, CURRENCY, 12, true, MAX_PER_ORDER,
                       List.of(generalTier(10), vipTier(4))))
               .expectSuccessfulHandlerExecution()
               .expectEvents(new EventInventoryCreated(EVENT, NAME, STARTS_AT, CURRENCY, 12, true, MAX_PER_ORDER,
                       List.of(generalTier(10), vipTier(4))));
    }

    @Test
    void createInventory_tierNamesThatDifferOnlyInCaseOrSpacesAreRejected() {
        fixture.givenNoPriorActivity()
               .when(createInventory(generalTier(10), new TierSpec(VIP, " general ", VIP_PRICE, 4)))
               .expectException(invalidRequest("tiers.name"))
               .expectNoEvents();
    }

    // ---- AddTier ----
    @Test
    void addTier_emitsTierAdded() {
        TierSpec balcony = new TierSpec(BALCONY, "Balcony", 4000, 20);

        given(inventoryCreated(generalTier(10)))
                .when(new AddTier(EVENT, balcony))
                .expectEvents(new TierAdded(EVENT, balcony));
    }

    @Test
    void addTier_aTierNameAlreadyUsedIsRejectedIgnoringCaseAndSpaces() {
        given(inventoryCreated(generalTier(10)))
                .when(new AddTier(EVENT, new TierSpec(BALCONY, "  GENERAL ", 4000, 20)))
                .expectException(invalidRequest("tiers.name"))
                .expectNoEvents();
    }

    @Test
    void addTier_aTierIdAlreadyUsedIsRejectedSoItsCountsCannotBeWiped() {
        given(inventoryCreated(generalTier(2)), reserved(ORDER, ALICE, generalSeats(2)))
                .when(new AddTier(EVENT, new TierSpec(GENERAL, "General again", 2500, 2)))
                .expectException(invalidRequest("tiers.tierId"))
                .expectNoEvents();
    }

    @Test
    void createInventory_aTierIdTwiceIsRejected() {
        fixture.givenNoPriorActivity()
                .when(createInventory(generalTier(10), new TierSpec(GENERAL, "Other", 100, 1)))
                .expectException(invalidRequest("tiers.tierId"))
                .expectNoEvents();
    }

    @Test
    void reserve_anOrderIdThatIsALiveHoldIsRejected() {
        given(inventoryCreated(generalTier(10)), reserved(ORDER, ALICE, generalSeats(2)))
                .when(reserve(ORDER, BOB, lines(GENERAL, 1)))
                .expectException(invalidRequest("orderId"))
                .expectNoEvents();
    }

    @Test
    void addTier_anAddedTierIsOnSaleAtItsPrice() {
        TierSpec balcony = new TierSpec(BALCONY, "Balcony", 4000, 20);

        given(inventoryCreated(generalTier(10)), new TierAdded(EVENT, balcony))
                .when(reserve(ORDER, ALICE, lines(BALCONY, 2)))
                .expectEventsMatching(exactSequenceOf(messageWithPayload(holdLike(
                        reserved(ORDER, ALICE, new ReservedLine(BALCONY, 2, 4000)))), theExpiry(), andNoMore()));
    }

    // ---- ChangeTierCapacity ----
    @Test
    void changeCapacity_emitsTheOldAndTheNewCapacity() {
        given(inventoryCreated(generalTier(10)))
                .when(new ChangeTierCapacity(EVENT, GENERAL, 12))
                .expectEvents(new TierCapacityChanged(EVENT, GENERAL, 10, 12));
    }

    @Test
    void changeCapacity_theSameCapacityAgainEmitsNothing() {
        given(inventoryCreated(generalTier(10)))
                .when(new ChangeTierCapacity(EVENT, GENERAL, 10))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void changeCapacity_aCapacityBelowTheSoldAndHeldTicketsIsRejected() {
        given(inventoryCreated(generalTier(10)),
              reserved(ORDER, ALICE, generalSeats(3)), confirmed(ORDER, ALICE, generalSeats(3)),
              reserved(ORDER_2, BOB, generalSeats(2)))
                .when(new ChangeTierCapacity(EVENT, GENERAL, 4))
                .expectException(rejection(CapacityBelowCommitted.class, "CAPACITY_BELOW_COMMITTED",
                        Map.of("tierId", GENERAL.toString(), "committed", 5)))
                .expectNoEvents();
    }

    @Test
    void changeCapacity_loweringToExactlyTheSoldAndHeldTicketsIsAllowed() {
        given(inventoryCreated(generalTier(10)),
              reserved(ORDER, ALICE, generalSeats(3)), confirmed(ORDER, ALICE, generalSeats(3)),
              reserved(ORDER_2, BOB, generalSeats(2)))
                .when(new ChangeTierCapacity(EVENT, GENERAL, 5))
                .expectEvents(new TierCapacityChanged(EVENT, GENERAL, 10, 5));
    }

    @Test
    void changeCapacity_anUnknownTierIsRejected() {
        given(inventoryCreated(generalTier(10)))
                .when(new ChangeTierCapacity(EVENT, UNKNOWN_TIER, 5))
                .expectException(rejection(TierNotFound.class, "TIER_NOT_FOUND",
                        Map.of("tierId", UNKNOWN_TIER.toString())))
                .expectNoEvents();
    }

    @Test
    void changeCapacity_reservationsAreLimitedByTheChangedCapacity() {
        given(inventoryCreated(generalTier(10)), new TierCapacityChanged(EVENT, GENERAL, 10, 2))
                .when(reserve(ORDER, ALICE, lines(GENERAL, 3)))
                .expectException(rejection(TierSoldOut.class, "TIER_SOLD_OUT",
                        Map.of("tierId", GENERAL.toString(), "available", 2)))
                .expectNoEvents()
                .expectNoScheduledDeadlines();
    }

    // ---- ReserveTickets ----
    @Test
    void reserve_aMultiTierOrderHoldsEveryLineAtTheTierPricesUntilTheHoldEnds() {
        TicketsReserved expected = new TicketsReserved(EVENT, ORDER, ALICE,
                List.of(new ReservedLine(GENERAL, 2, 2500), new ReservedLine(VIP, 1, 9000)),
                14_000, CURRENCY, NOW, NOW.plus(HOLD), null);

        given(inventoryCreated(generalTier(10), vipTier(4)))
                .when(reserve(ORDER, ALICE, lines(GENERAL, 2, VIP, 1)))
                .expectEventsMatching(exactSequenceOf(messageWithPayload(holdLike(expected)),
                        messageWithPayload(equalTo(expiryScheduled(EXPIRES_AT))), andNoMore()))
                .expectResultMessagePayloadMatching(holdLike(expected));
    }

    @Test
    void reserve_schedulesTheInventorysExpiryAtTheEndOfTheFirstHold() {
        given(inventoryCreated(generalTier(10)))
                .when(reserve(ORDER, ALICE, lines(GENERAL, 2)))
                .expectScheduledDeadlineWithName(HOLD, HOLDS_EXPIRY)
                .expectScheduledDeadline(EXPIRES_AT, new TierInventory.HoldsExpiry(EXPIRES_AT));
    }

    @Test
    void reserve_aHoldEndingAfterTheScheduledExpirySchedulesNothing() {
        givenCommands(createInventory(generalTier(10)), reserve(ORDER, ALICE, lines(GENERAL, 2)))
                .when(new ReserveTickets(EVENT, ORDER_2, BOB, lines(GENERAL, 1), NOT_MEMBER, NOW.plusSeconds(60), HOLD))
                .expectEventsMatching(exactSequenceOf(messageWithPayload(predicate((TicketsReserved held) ->
                        held.orderId().equals(ORDER_2) && held.expiryDeadlineId() == null)), andNoMore()));
    }

    @Test
    void reserve_anExpiryLongOverdueIsTakenAsLostAndScheduledAnew() {
        // a history whose expiry deadline never ran (an inventory restored without its deadlines)
        Instant later = NOW.plus(Duration.ofHours(2));
        given(inventoryCreated(generalTier(10)), reserved(ORDER, ALICE, generalSeats(2)), expiryScheduled(EXPIRES_AT))
                .when(new ReserveTickets(EVENT, ORDER_2, BOB, lines(GENERAL, 1), NOT_MEMBER, later, HOLD))
                .expectEventsMatching(exactSequenceOf(messageWithPayload(predicate((TicketsReserved held) ->
                                held.orderId().equals(ORDER_2))),
                        messageWithPayload(equalTo(expiryScheduled(later.plus(HOLD)))), andNoMore()))
                .expectScheduledDeadline(later.plus(HOLD), new TierInventory.HoldsExpiry(later.plus(HOLD)));
    }

    @Test
    void reserve_anExpiryDueAMomentAgoIsLeftToRun() {
        Instant momentsLater = EXPIRES_AT.plusSeconds(30);
        given(inventoryCreated(generalTier(10)), reserved(ORDER, ALICE, generalSeats(2)), expiryScheduled(EXPIRES_AT))
                .when(new ReserveTickets(EVENT, ORDER_2, BOB, lines(GENERAL, 1), NOT_MEMBER, momentsLater, HOLD))
                .expectEventsMatching(exactSequenceOf(messageWithPayload(predicate((TicketsReserved held) ->
                        held.orderId().equals(ORDER_2))), andNoMore()));
    }

    @Test
    void reserve_aHoldEndingBeforeTheScheduledExpiryBringsItForward() {
        Duration shorter = Duration.ofMinutes(5);
        givenCommands(createInventory(generalTier(10)), reserve(ORDER, ALICE, lines(GENERAL, 2)))
                .when(new ReserveTickets(EVENT, ORDER_2, BOB, lines(GENERAL, 1), NOT_MEMBER, NOW, shorter))
                .expectEventsMatching(exactSequenceOf(messageWithPayload(predicate((TicketsReserved held) ->
                                held.orderId().equals(ORDER_2))),
                        messageWithPayload(equalTo(expiryScheduled(NOW.plus(shorter)))), andNoMore()))
                .expectScheduledDeadline(NOW.plus(shorter), new TierInventory.HoldsExpiry(NOW.plus(shorter)));
    }

    @Test
    void reserve_moreTicketsThanATierHasLeftIsRejectedWithWhatIsLeft() {
        given(inventoryCreated(generalTier(2)))
                .when(new ReserveTickets(EVENT, ORDER, ALICE, lines(GENERAL, 3), NOT_MEMBER, NOW, HOLD))
                .expectException(rejection(TierSoldOut.class, "TIER_SOLD_OUT",
                        Map.of("tierId", GENERAL.toString(), "available", 2)))
                .expectNoEvents()
                .expectNoScheduledDeadlines();
    }

    @Test
    void reserve_heldSeatsAreNotAvailable() {
        given(inventoryCreated(generalTier(3)), reserved(ORDER, ALICE, generalSeats(2)))
                .when(reserve(ORDER_2, BOB, lines(GENERAL, 2)))
                .expectException(rejection(TierSoldOut.class, "TIER_SOLD_OUT",
                        Map.of("tierId", GENERAL.toString(), "available", 1)))
                .expectNoEvents()
                .expectNoScheduledDeadlines();
    }

    @Test
    void reserve_soldSeatsAreNotAvailable() {
        given(inventoryCreated(generalTier(3)),
              reserved(ORDER, ALICE, generalSeats(2)), confirmed(ORDER, ALICE, generalSeats(2)))
                .when(reserve(ORDER_2, BOB, lines(GENERAL, 2)))
                .expectException(rejection(TierSoldOut.class, "TIER_SOLD_OUT",
                        Map.of("tierId", GENERAL.toString(), "available", 1)))
                .expectNoEvents()
                .expectNoScheduledDeadlines();
    }

    @Test
    void reserve_maxAttendeesIsSharedAcrossTiersEvenWhenEveryTierHasRoom() {
        given(inventoryCreatedWithMaxAttendees(5, generalTier(10), vipTier(4)),
              reserved(ORDER, ALICE, generalSeats(3)))
                .when(reserve(ORDER_2, BOB, lines(GENERAL, 1, VIP, 2)))
                .expectException(rejection(EventAtCapacity.class, "EVENT_AT_CAPACITY", Map.of("available", 2)))
                .expectNoEvents()
                .expectNoScheduledDeadlines();
    }

    @Test
    void reserve_maxAttendeesCountsSoldTickets() {
        given(inventoryCreatedWithMaxAttendees(5, generalTier(10), vipTier(4)),
              reserved(ORDER, ALICE, generalSeats(4)), confirmed(ORDER, ALICE, generalSeats(4)))
                .when(reserve(ORDER_2, BOB, lines(VIP, 2)))
                .expectException(rejection(EventAtCapacity.class, "EVENT_AT_CAPACITY", Map.of("available", 1)))
                .expectNoEvents()
                .expectNoScheduledDeadlines();
    }

    @Test
    void reserve_aSoldOutTierReportsNoMoreThanTheEventHasLeft() {
        given(inventoryCreatedWithMaxAttendees(3, generalTier(10), vipTier(4)),
              reserved(ORDER, ALICE, generalSeats(2)))
                .when(reserve(ORDER_2, BOB, lines(VIP, 5)))
                .expectException(rejection(TierSoldOut.class, "TIER_SOLD_OUT",
                        Map.of("tierId", VIP.toString(), "available", 1)))
                .expectNoEvents();
    }

    @Test
    void reserve_anEventWithoutMaxAttendeesIsLimitedOnlyByItsTiers() {
        given(inventoryCreated(generalTier(10), vipTier(4)), reserved(ORDER, ALICE, generalSeats(10)))
                .when(reserve(ORDER_2, BOB, lines(VIP, 4)))
                .expectSuccessfulHandlerExecution()
                .expectEventsMatching(exactSequenceOf(
                        messageWithPayload(holdLike(reserved(ORDER_2, BOB, vipSeats(4)))), theExpiry(), andNoMore()));
    }

    @Test
    void reserve_allOrNothingWhenTheFirstLineFitsButTheSecondDoesNotNothingIsHeld() {
        given(inventoryCreated(generalTier(10), vipTier(1)))
                .when(reserve(ORDER, ALICE, lines(GENERAL, 2, VIP, 2)))
                .expectException(rejection(TierSoldOut.class, "TIER_SOLD_OUT",
                        Map.of("tierId", VIP.toString(), "available", 1)))
                .expectNoEvents()
                .expectNoScheduledDeadlines();
    }

    @Test
    void reserve_aMembersOnlyEventRejectsANonMember() {
        given(membersOnlyInventoryCreated(generalTier(10)))
                .when(new ReserveTickets(EVENT, ORDER, ALICE, lines(GENERAL, 1), NOT_MEMBER, NOW, HOLD))
                .expectException(rejection(MembershipRequired.class, "MEMBERSHIP_REQUIRED", Map.of()))
                .expectNoEvents()
                .expectNoScheduledDeadlines();
    }

    @Test
    void reserve_aMembersOnlyEventAcceptsAMember() {
        given(membersOnlyInventoryCreated(generalTier(10)))
                .when(new ReserveTickets(EVENT, ORDER, ALICE, lines(GENERAL, 1), MEMBER, NOW, HOLD))
                .expectEventsMatching(exactSequenceOf(
                        messageWithPayload(holdLike(reserved(ORDER, ALICE, generalSeats(1)))), theExpiry(), andNoMore()))
                .expectScheduledDeadlineWithName(HOLD, HOLDS_EXPIRY);
    }

    @Test
    void reserve_aUserWithALiveHoldIsToldWhichOrderIsPending() {
        given(inventoryCreated(generalTier(10)), reserved(ORDER, ALICE, generalSeats(1)))
                .when(reserve(ORDER_2, ALICE, lines(GENERAL, 1)))
                .expectException(rejection(PendingOrderExists.class, "PENDING_ORDER_EXISTS",
                        Map.of("orderId", ORDER.toString())))
                .expectNoEvents()
                .expectNoScheduledDeadlines();
    }

    @Test
    void reserve_aUserMayReserveAgainOnceTheHoldExpired() {
        given(inventoryCreated(generalTier(10)), reserved(ORDER, ALICE, generalSeats(1)),
              expired(ORDER, ALICE, generalSeats(1)))
                .when(reserve(ORDER_2, ALICE, lines(GENERAL, 1)))
                .expectEventsMatching(exactSequenceOf(
                        messageWithPayload(holdLike(reserved(ORDER_2, ALICE, generalSeats(1)))), theExpiry(), andNoMore()));
    }

    @Test
    void reserve_aUserMayReserveAgainOnceTheHoldWasCancelled() {
        given(inventoryCreated(generalTier(10)), reserved(ORDER, ALICE, generalSeats(1)),
              cancelled(ORDER, ALICE, generalSeats(1)))
                .when(reserve(ORDER_2, ALICE, lines(GENERAL, 1)))
                .expectEventsMatching(exactSequenceOf(
                        messageWithPayload(holdLike(reserved(ORDER_2, ALICE, generalSeats(1)))), theExpiry(), andNoMore()));
    }

    @Test
    void reserve_aUserMayReserveAgainOnceTheOrderWasConfirmed() {
        given(inventoryCreated(generalTier(10)), reserved(ORDER, ALICE, generalSeats(1)),
              confirmed(ORDER, ALICE, generalSeats(1)))
                .when(reserve(ORDER_2, ALICE, lines(GENERAL, 1)))
                .expectEventsMatching(exactSequenceOf(
                        messageWithPayload(holdLike(reserved(ORDER_2, ALICE, generalSeats(1)))), theExpiry(), andNoMore()));
    }

    @Test
    void reserve_anUnknownTierIsRejected() {
        given(inventoryCreated(generalTier(10)))
                .when(reserve(ORDER, ALICE, lines(GENERAL, 1, UNKNOWN_TIER, 1)))
                .expectException(rejection(TierNotFound.class, "TIER_NOT_FOUND",
                        Map.of("tierId", UNKNOWN_TIER.toString())))
                .expectNoEvents()
                .expectNoScheduledDeadlines();
    }

    @Test
    void reserve_noLinesIsRejected() {
        given(inventoryCreated(generalTier(10)))
                .when(reserve(ORDER, ALICE, List.of()))
                .expectException(invalidRequest("selections"))
                .expectNoEvents()
                .expectNoScheduledDeadlines();
    }

    @Test
    void reserve_aQuantityOfZeroIsRejected() {
        given(inventoryCreated(generalTier(10), vipTier(4)))
                .when(reserve(ORDER, ALICE, lines(GENERAL, 1, VIP, 0)))
                .expectException(invalidRequest("selections.quantity"))
                .expectExceptionMessage("selections.quantity: must be at least 1")
                .expectNoEvents()
                .expectNoScheduledDeadlines();
    }

    @Test
    void reserve_theSameTierTwiceInOneOrderIsRejected() {
        given(inventoryCreated(generalTier(10)))
                .when(reserve(ORDER, ALICE, lines(GENERAL, 1, GENERAL, 1)))
                .expectException(invalidRequest("selections.tierId"))
                .expectNoEvents()
                .expectNoScheduledDeadlines();
    }

    @Test
    void reserve_moreThanMaxTicketsPerOrderIsRejected() {
        given(inventoryCreated(generalTier(10), vipTier(4)))
                .when(reserve(ORDER, ALICE, lines(GENERAL, 4, VIP, 3)))
                .expectException(invalidRequest("selections"))
                .expectExceptionMessage(startsWith("selections: at most 6 tickets"))
                .expectNoEvents()
                .expectNoScheduledDeadlines();
    }

    @Test
    void reserve_exactlyMaxTicketsPerOrderIsAllowed() {
        given(inventoryCreated(generalTier(10), vipTier(4)))
                .when(reserve(ORDER, ALICE, lines(GENERAL, 4, VIP, 2)))
                .expectEventsMatching(exactSequenceOf(
                        messageWithPayload(holdLike(reserved(ORDER, ALICE, generalSeats(4), vipSeats(2)))),
                        theExpiry(), andNoMore()));
    }

    @Test
    void reserve_seatsReleasedByACancellationAreAvailableAgain() {
        given(inventoryCreated(generalTier(2)), reserved(ORDER, ALICE, generalSeats(2)),
              cancelled(ORDER, ALICE, generalSeats(2)))
                .when(reserve(ORDER_2, BOB, lines(GENERAL, 2)))
                .expectEventsMatching(exactSequenceOf(
                        messageWithPayload(holdLike(reserved(ORDER_2, BOB, generalSeats(2)))), theExpiry(), andNoMore()));
    }

    @Test
    void reserve_seatsReleasedByAnExpiryAreAvailableAgain() {
        given(inventoryCreatedWithMaxAttendees(2, generalTier(2)), reserved(ORDER, ALICE, generalSeats(2)),
              expired(ORDER, ALICE, generalSeats(2)))
                .when(reserve(ORDER_2, BOB, lines(GENERAL, 2)))
                .expectEventsMatching(exactSequenceOf(
                        messageWithPayload(holdLike(reserved(ORDER_2, BOB, generalSeats(2)))), theExpiry(), andNoMore()));
    }

    // ---- CancelReservation ----
    @Test
    void cancel_ofALiveHoldReleasesItsLines() {
        ReservationCancelled expected = new ReservationCancelled(EVENT, ORDER, ALICE,
                List.of(generalSeats(2), vipSeats(1)), ORGANISER);

        given(inventoryCreated(generalTier(10), vipTier(4)), reserved(ORDER, ALICE, generalSeats(2), vipSeats(1)))
                .when(new CancelReservation(EVENT, ORDER, ORGANISER))
                .expectEvents(expected)
                .expectResultMessagePayload(expected);
    }

    @Test
    void cancel_releasesTheHoldAtOnce() {
        givenCommands(createInventory(generalTier(10)), reserve(ORDER, ALICE, lines(GENERAL, 2)))
                .when(new CancelReservation(EVENT, ORDER, ALICE))
                .expectEvents(new ReservationCancelled(EVENT, ORDER, ALICE, List.of(generalSeats(2)), ALICE));
    }

    @Test
    void cancel_anUnknownOrderIsNotCancellable() {
        given(inventoryCreated(generalTier(10)))
                .when(new CancelReservation(EVENT, UNKNOWN_ORDER, ALICE))
                .expectException(orderNotCancellable(UNKNOWN_ORDER))
                .expectNoEvents();
    }

    @Test
    void cancel_anExpiredHoldIsNotCancellable() {
        given(inventoryCreated(generalTier(10)), reserved(ORDER, ALICE, generalSeats(2)),
              expired(ORDER, ALICE, generalSeats(2)))
                .when(new CancelReservation(EVENT, ORDER, ALICE))
                .expectException(orderNotCancellable(ORDER))
                .expectNoEvents();
    }

    @Test
    void cancel_aCancelledHoldIsNotCancellableAgain() {
        given(inventoryCreated(generalTier(10)), reserved(ORDER, ALICE, generalSeats(2)),
              cancelled(ORDER, ALICE, generalSeats(2)))
                .when(new CancelReservation(EVENT, ORDER, ALICE))
                .expectException(orderNotCancellable(ORDER))
                .expectNoEvents();
    }

    @Test
    void cancel_aConfirmedOrderIsNotCancellable() {
        given(inventoryCreated(generalTier(10)), reserved(ORDER, ALICE, generalSeats(2)),
              confirmed(ORDER, ALICE, generalSeats(2)))
                .when(new CancelReservation(EVENT, ORDER, ALICE))
                .expectException(orderNotCancellable(ORDER))
                .expectNoEvents();
    }

    // ---- ReservationExpiry ----
    @Test
    void expiry_aHoldExpiresWhenItsTimeIsUp() {
        givenCommands(createInventory(generalTier(10), vipTier(4)),
                      reserve(ORDER, ALICE, lines(GENERAL, 2, VIP, 1)))
                .whenTimeElapses(HOLD.plusSeconds(1))
                .expectTriggeredDeadlinesWithName(HOLDS_EXPIRY)
                .expectDeadlinesMet(new TierInventory.HoldsExpiry(EXPIRES_AT))
                .expectEvents(new ReservationExpired(EVENT, ORDER, ALICE, List.of(generalSeats(2), vipSeats(1))),
                        expiryScheduled(null));
    }

    @Test
    void expiry_aHoldDoesNotExpireBeforeItsTime() {
        givenCommands(createInventory(generalTier(10)), reserve(ORDER, ALICE, lines(GENERAL, 2)))
                .whenTimeElapses(HOLD.minusSeconds(1))
                .expectDeadlinesMet()
                .expectNoEvents()
                .expectScheduledDeadlineWithName(Duration.ofSeconds(1), HOLDS_EXPIRY);
    }

    @Test
    void expiry_endsEveryHoldDueAndLooksAgainWhenTheNextEnds() {
        Instant secondEnds = EXPIRES_AT.plusSeconds(60);
        givenCommands(createInventory(generalTier(10)), reserve(ORDER, ALICE, lines(GENERAL, 2)),
                      reserve(ORDER_2, BOB, lines(GENERAL, 1)),
                      new ReserveTickets(EVENT, ORDER_3, CAROL, lines(GENERAL, 1), NOT_MEMBER, NOW.plusSeconds(60), HOLD))
                .whenTimeElapses(HOLD.plusSeconds(1))
                .expectDeadlinesMet(new TierInventory.HoldsExpiry(EXPIRES_AT))
                .expectEvents(new ReservationExpired(EVENT, ORDER, ALICE, List.of(generalSeats(2))),
                        new ReservationExpired(EVENT, ORDER_2, BOB, List.of(generalSeats(1))),
                        expiryScheduled(secondEnds))
                .expectScheduledDeadline(secondEnds, new TierInventory.HoldsExpiry(secondEnds));
    }

    @Test
    void expiry_theHoldEndingLaterExpiresAtItsOwnTime() {
        Instant secondEnds = EXPIRES_AT.plusSeconds(60);
        givenCommands(createInventory(generalTier(10)), reserve(ORDER, ALICE, lines(GENERAL, 2)),
                      new ReserveTickets(EVENT, ORDER_2, BOB, lines(GENERAL, 1), NOT_MEMBER, NOW.plusSeconds(60), HOLD))
                .whenTimeAdvancesTo(secondEnds)
                .expectEvents(new ReservationExpired(EVENT, ORDER, ALICE, List.of(generalSeats(2))),
                        expiryScheduled(secondEnds),
                        new ReservationExpired(EVENT, ORDER_2, BOB, List.of(generalSeats(1))),
                        expiryScheduled(null));
    }

    @Test
    void expiry_anExpiryBroughtForwardLeavesEveryHoldExpiredOnce() {
        givenCommands(createInventory(generalTier(10)), reserve(ORDER, ALICE, lines(GENERAL, 2)),
                      new ReserveTickets(EVENT, ORDER_2, BOB, lines(GENERAL, 1), NOT_MEMBER, NOW, Duration.ofMinutes(5)))
                .whenTimeElapses(HOLD.plusSeconds(1))
                // the earlier one expires BOB's hold and looks again at ALICE's end; the superseded
                // one (also at ALICE's end) and that one find ALICE's hold due once
                .expectEvents(new ReservationExpired(EVENT, ORDER_2, BOB, List.of(generalSeats(1))),
                        expiryScheduled(EXPIRES_AT),
                        new ReservationExpired(EVENT, ORDER, ALICE, List.of(generalSeats(2))),
                        expiryScheduled(null));
    }

    @Test
    void expiry_aCancelledHoldDoesNotExpire() {
        givenCommands(createInventory(generalTier(10)), reserve(ORDER, ALICE, lines(GENERAL, 2)),
                      new CancelReservation(EVENT, ORDER, ALICE))
                .whenTimeElapses(HOLD.plusSeconds(1))
                .expectDeadlinesMet(new TierInventory.HoldsExpiry(EXPIRES_AT))
                .expectEvents(expiryScheduled(null));
    }

    @Test
    void expiry_afterTheExpiryTheSeatsCanBeReservedAgain() {
        givenCommands(createInventory(generalTier(2)), reserve(ORDER, ALICE, lines(GENERAL, 2)))
                .andGiven(expired(ORDER, ALICE, generalSeats(2)))
                .when(reserve(ORDER_2, BOB, lines(GENERAL, 2)))
                .expectEventsMatching(exactSequenceOf(
                        messageWithPayload(holdLike(reserved(ORDER_2, BOB, generalSeats(2)))), andNoMore()));
    }
}
