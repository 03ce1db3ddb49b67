package dev.ticketing.command.inventory;

import dev.ticketing.api.inventory.HoldsExpiryScheduled;
import dev.ticketing.api.inventory.ReserveTickets;
import dev.ticketing.api.inventory.ReserveTicketsBatch;
import dev.ticketing.api.inventory.TicketsReserved;
import dev.ticketing.api.rejection.PendingOrderExists;
import dev.ticketing.api.rejection.TierSoldOut;
import org.axonframework.eventhandling.EventMessage;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ticketing.command.inventory.InventoryFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.axonframework.test.matchers.Matchers.predicate;

/**
 * Group commit: several buyers' reservations decided in one unit of work, each exactly as if it
 * had come alone, each answered on its own.
 */
class ReserveTicketsBatchTest extends InventoryFixtures {

    @Test
    void eachItemIsDecidedInOrderAndARefusalLeavesTheOthersStanding() {
        var batch = new ReserveTicketsBatch(EVENT, List.of(
                item(reserve(ORDER, ALICE, lines(GENERAL, 2)), ALICE),
                item(reserve(ORDER_2, BOB, lines(GENERAL, 2)), BOB),
                item(reserve(ORDER_3, CAROL, lines(GENERAL, 1)), CAROL)));

        fixture.given(inventoryCreated(generalTier(3)))
                .when(batch)
                .expectSuccessfulHandlerExecution()
                .expectEventsMatching(predicate(events -> {
                    @SuppressWarnings("unchecked")
                    List<EventMessage<?>> stored = (List<EventMessage<?>>) events;
                    assertThat(stored).filteredOn(e -> e.getPayload() instanceof TicketsReserved)
                            .extracting(e -> ((TicketsReserved) e.getPayload()).orderId())
                            .containsExactly(ORDER, ORDER_3);
                    // one expiry deadline for the inventory, scheduled with the first hold, none per hold
                    assertThat(stored.stream().<Object>map(EventMessage::getPayload)
                            .filter(payload -> payload instanceof HoldsExpiryScheduled).toList())
                            .containsExactly(expiryScheduled(EXPIRES_AT));
                    return true;
                }))
                .expectResultMessagePayloadMatching(predicate(result -> {
                    List<?> answers = (List<?>) result;
                    assertThat(answers).hasSize(3);
                    assertThat(answers.get(0)).isInstanceOfSatisfying(TicketsReserved.class,
                            r -> assertThat(r.orderId()).isEqualTo(ORDER));
                    assertThat(answers.get(1)).isInstanceOfSatisfying(TierSoldOut.class,
                            refused -> assertThat(refused.properties()).containsEntry("available", 1));
                    assertThat(answers.get(2)).isInstanceOfSatisfying(TicketsReserved.class,
                            r -> assertThat(r.orderId()).isEqualTo(ORDER_3));
                    return true;
                }));
    }

    @Test
    void theSameBuyerTwiceInOneBatchIsToldTheFirstOrderIsPending() {
        var batch = new ReserveTicketsBatch(EVENT, List.of(
                item(reserve(ORDER, ALICE, lines(GENERAL, 1)), ALICE),
                item(reserve(ORDER_2, ALICE, lines(GENERAL, 1)), ALICE)));

        fixture.given(inventoryCreated(generalTier(10)))
                .when(batch)
                .expectResultMessagePayloadMatching(predicate(result -> {
                    List<?> answers = (List<?>) result;
                    assertThat(answers.get(0)).isInstanceOf(TicketsReserved.class);
                    assertThat(answers.get(1)).isInstanceOfSatisfying(PendingOrderExists.class,
                            refused -> assertThat(refused.properties()).containsEntry("orderId", ORDER.toString()));
                    return true;
                }));
    }

    @Test
    void eachItemsBuyerAndIdempotencyKeyTravelOntoItsOwnEvent() {
        var batch = new ReserveTicketsBatch(EVENT, List.of(
                new ReserveTicketsBatch.Item(reserve(ORDER, ALICE, lines(GENERAL, 1)),
                        Map.of("userId", ALICE, "idempotencyKey", "key-a")),
                new ReserveTicketsBatch.Item(reserve(ORDER_2, BOB, lines(GENERAL, 1)),
                        Map.of("userId", BOB, "idempotencyKey", "key-b"))));

        fixture.given(inventoryCreated(generalTier(10)))
                .andGivenCommands()
                .when(batch, Map.of("userId", "system"))
                .expectEventsMatching(predicate(events -> {
                    @SuppressWarnings("unchecked")
                    List<EventMessage<?>> stored = (List<EventMessage<?>>) events;
                    List<EventMessage<?>> holds = stored.stream()
                            .filter(e -> e.getPayload() instanceof TicketsReserved).toList();
                    assertThat(holds).hasSize(2);
                    assertThat(holds.get(0).getMetaData()).containsEntry("userId", ALICE).containsEntry("idempotencyKey", "key-a");
                    assertThat(holds.get(1).getMetaData()).containsEntry("userId", BOB).containsEntry("idempotencyKey", "key-b");
                    return true;
                }));
    }

    private static ReserveTicketsBatch.Item item(ReserveTickets command, String userId) {
        return new ReserveTicketsBatch.Item(command, Map.of("userId", userId));
    }
}
