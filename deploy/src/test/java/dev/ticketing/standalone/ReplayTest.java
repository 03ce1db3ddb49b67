package dev.ticketing.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticketing.platform.testing.ApiClient;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rebuilding each read model from the event store gives back exactly the read model it replaced,
 * also when its tables were damaged behind the projection's back; reads in between never show a
 * half-built one. Expiries: ReplayWithExpiriesTest.
 * <p>
 * An application of its own (a fresh schema): the comparisons cover the whole ledger, so nothing
 * left running by another test class may write into it.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.BEFORE_CLASS)
class ReplayTest extends ReplaySupport {

    private static final Duration REPLAY_TIMEOUT = Duration.ofSeconds(60);

    /** Built once per class: the application, and so the history, is shared by its tests. */
    private static History history;

    record History(List<String> eventIds, List<String> orderIds) {
    }

    @Test
    void everyReplayedReadModelEqualsTheOneItReplaced() {
        History history = history();
        awaitSettled(Duration.ofSeconds(30));
        ReadModels before = readModels(history.eventIds(), history.orderIds());
        assertThat(before.ledgerEntries()).hasSizeGreaterThanOrEqualTo(7);

        // the three at once: different projections may be rebuilt side by side
        Map<String, String> replays = Map.of("availability", startReplay("availability"),
                "orders", startReplay("orders"), "ledger", startReplay("ledger"));
        long head = head();
        replays.forEach((projection, replayId) -> {
            ReplayRun run = awaitReplayDone(replayId, REPLAY_TIMEOUT);
            assertThat(run.result().path("projection").asText()).isEqualTo(projection);
            assertThat(run.result().path("totalEvents").asLong()).isEqualTo(head);
        });

        awaitSettled(Duration.ofSeconds(30));
        assertSameReadModels(readModels(history.eventIds(), history.orderIds()), before);
    }

    @Test
    void theOrdersReplayRebuildsOrdersDamagedBehindTheProjectionsBack() {
        History history = history();
        awaitSettled(Duration.ofSeconds(30));
        ReadModels before = readModels(history.eventIds(), history.orderIds());
        String paid = history.orderIds().get(0);
        String refunded = history.orderIds().get(1);

        jdbc.update("DELETE FROM order_view WHERE order_id = ?::uuid", paid);
        jdbc.update("UPDATE order_view SET status = 'CONFIRMED', payment_status = 'succeeded', tickets = '[]' "
                + "WHERE order_id = ?::uuid", refunded);
        assertThat(api.get("/api/v1/orders/" + paid, AUDITOR).code()).as("the damage shows").isEqualTo("ORDER_NOT_FOUND");
        assertThat(api.get("/api/v1/orders/" + refunded, AUDITOR).body()).as("the damage shows")
                .isNotEqualTo(before.orders().get(refunded));

        awaitReplayDone(startReplay("orders"), REPLAY_TIMEOUT);

        awaitSettled(Duration.ofSeconds(30));
        assertSameReadModels(readModels(history.eventIds(), history.orderIds()), before);
    }

    @Test
    void theLedgerReplayRebuildsALedgerDamagedBehindTheProjectionsBack() {
        History history = history();
        awaitSettled(Duration.ofSeconds(30));
        ReadModels before = readModels(history.eventIds(), history.orderIds());
        String paid = history.orderIds().get(0);
        String refunded = history.orderIds().get(1);

        // an entry gone with its lines, an amount changed on one side of another, a refund's account renamed
        assertThat(jdbc.update("DELETE FROM ledger_entry WHERE entry_id = ?", "fee:" + paid)).isEqualTo(1);
        assertThat(jdbc.update("UPDATE ledger_line SET debit_cents = debit_cents + 100 WHERE entry_id = ? "
                + "AND debit_cents > 0", "confirmed:" + paid)).isEqualTo(1);
        assertThat(jdbc.update("UPDATE ledger_line SET account = 'suspense' WHERE entry_id = ? AND account LIKE 'refunds:%'",
                "refund:" + refunded)).isEqualTo(1);
        ReadModels damaged = readModels(history.eventIds(), history.orderIds());
        assertThat(damaged.ledgerEntries()).as("the damage shows").isNotEqualTo(before.ledgerEntries())
                .doesNotContainKey("fee:" + paid);
        assertThat(damaged.ledgerAccounts()).as("the damage shows").isNotEqualTo(before.ledgerAccounts());

        awaitReplayDone(startReplay("ledger"), REPLAY_TIMEOUT);

        awaitSettled(Duration.ofSeconds(30));
        assertSameReadModels(readModels(history.eventIds(), history.orderIds()), before);
    }

    @Test
    void onlyAuditorsStartAndReadReplays() {
        assertThat(startReplay("ledger", ORGANIZER).code()).isEqualTo("FORBIDDEN");
        assertThat(startReplay("ledger", buyer()).code()).isEqualTo("FORBIDDEN");
        assertThat(startReplay("ledger", null).status()).isEqualTo(401);
        assertThat(api.get("/api/v1/audit/replays/" + UUID.randomUUID(), ORGANIZER).code())
                .isEqualTo("FORBIDDEN");

        ApiClient.Response unknown = startReplay("inventory", AUDITOR);
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.code()).isEqualTo("VALIDATION_FAILED");
        assertThat(unknown.body().path("errors").get(0).path("field").asText()).isEqualTo("projection");
        assertThat(api.post("/api/v1/audit/replays", AUDITOR, Map.of()).code()).isEqualTo("VALIDATION_FAILED");

        ApiClient.Response noSuchReplay = api.get("/api/v1/audit/replays/" + UUID.randomUUID(), AUDITOR);
        assertThat(noSuchReplay.status()).isEqualTo(404);
        assertThat(noSuchReplay.code()).isEqualTo("REPLAY_NOT_FOUND");
    }

    @Test
    void aSecondReplayOfAProjectionWhileOneRunsIsRefused() {
        History history = history();
        awaitSettled(Duration.ofSeconds(30));
        String first = startReplay("orders");

        // the replay is registered before its 202: the very next request finds it running
        ApiClient.Response second = startReplay("orders", AUDITOR);
        assertThat(second.status()).as(second.toString()).isEqualTo(409);
        assertThat(second.code()).isEqualTo("REPLAY_RUNNING");
        assertThat(second.body().path("replayId").asText()).isEqualTo(first);
        ApiClient.Response orderMeanwhile = api.get("/api/v1/orders/" + history.orderIds().get(0), AUDITOR);
        assertThat(orderMeanwhile.status()).isEqualTo(503);
        assertThat(orderMeanwhile.code()).isEqualTo("READ_MODEL_REBUILDING");

        awaitReplayDone(first, REPLAY_TIMEOUT);
        awaitReplayDone(startReplay("orders"), REPLAY_TIMEOUT);
        assertThat(api.get("/api/v1/orders/" + history.orderIds().get(0), AUDITOR).status()).isEqualTo(200);
    }

    @Test
    void readsDuringALedgerReplayAreRefusedOrComplete() {
        History history = history();
        awaitSettled(Duration.ofSeconds(30));
        JsonNode entriesBefore = api.get("/api/v1/ledger/entries", AUDITOR).body();
        JsonNode accountsBefore = api.get("/api/v1/ledger/accounts", ORGANIZER).body();
        String replayId = startReplay("ledger");

        int refused = 0;
        while (api.get("/api/v1/audit/replays/" + replayId, AUDITOR).body().path("status").asText().equals("RUNNING")) {
            for (String path : List.of("/api/v1/ledger/entries", "/api/v1/ledger/accounts")) {
                ApiClient.Response read = api.get(path, ORGANIZER);
                if (read.status() == 503) {
                    assertThat(read.code()).isEqualTo("READ_MODEL_REBUILDING");
                    assertThat(read.contentType()).startsWith("application/problem+json");
                    assertThat(read.header("Retry-After")).isNotBlank();
                    refused++;
                } else {
                    assertThat(read.status()).as(read.toString()).isEqualTo(200);
                    assertThat(read.body()).as(path + " during the replay")
                            .isEqualTo(path.endsWith("entries") ? entriesBefore : accountsBefore);
                }
            }
            // the other read models are not being rebuilt: they answer as ever
            assertThat(api.get("/api/v1/events/" + history.eventIds().get(0) + "/availability", null).status())
                    .isEqualTo(200);
        }
        assertThat(refused).as("reads refused while the ledger was rebuilt").isPositive();
        assertThat(api.get("/api/v1/ledger/entries", AUDITOR).body()).isEqualTo(entriesBefore);
        assertThat(api.get("/api/v1/ledger/accounts", ORGANIZER).body()).isEqualTo(accountsBefore);
    }

    @Test
    void aReplayMendsWhatWasDeadLetteredAndLeavesNoOldLetters() {
        JsonNode event = createEvent(null, false, "General", 2500, 10);
        String eventId = event.path("eventId").asText();
        String tier = tierId(event, 0);
        awaitAvailability(eventId, 0, 0);
        // the read model loses a row: the projection cannot apply the reservation, which is dead-lettered
        jdbc.update("DELETE FROM tier_availability WHERE tier_id = ?::uuid", tier);
        assertThat(reserve(buyer(), eventId, tier, 2).status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(15)).until(() -> deadLettersOf(eventId) > 0);

        awaitReplayDone(startReplay("availability"), REPLAY_TIMEOUT);

        assertThat(deadLettersOf(eventId)).isZero();
        JsonNode rebuilt = awaitAvailability(eventId, 2, 0);
        assertThat(rebuilt.path("tiers").get(0).path("reserved").asInt()).isEqualTo(2);
    }

    private int deadLettersOf(String aggregateId) {
        int letters = 0;
        for (JsonNode letter : api.get("/api/v1/audit/dead-letters", AUDITOR).body()) {
            letters += aggregateId.equals(letter.path("aggregateId").asText()) ? 1 : 0;
        }
        return letters;
    }

    /**
     * Two events; orders paid through the Stripe stand-in, one of them refunded by the organiser,
     * one declined then left on hold, one cancelled by its buyer and one by the organiser, one
     * never paid; a tier added and a capacity changed.
     */
    private synchronized History history() {
        if (history != null) {
            return history;
        }
        JsonNode gala = createEvent(40, false, "General", 2500, 50, "VIP", 9000, 10);
        String galaId = gala.path("eventId").asText();
        JsonNode concert = createEvent(null, false, "Floor", 4000, 20);
        String concertId = concert.path("eventId").asText();
        List<String> orders = new ArrayList<>();

        String alice = buyer();
        String paid = order(orders, alice, galaId, tierId(gala, 0), 2, tierId(gala, 1), 1);
        pay(paid, alice, "pm_card_visa");
        String bob = buyer();
        String refunded = order(orders, bob, galaId, tierId(gala, 1), 2);
        pay(refunded, bob, "pm_card_visa");
        awaitOrder(refunded, bob, "CONFIRMED");
        assertThat(api.post("/api/v1/orders/" + refunded + "/refund", ORGANIZER, Map.of()).status()).isEqualTo(202);
        String carol = buyer();
        String cancelled = order(orders, carol, galaId, tierId(gala, 0), 3);
        assertThat(api.post("/api/v1/orders/" + cancelled + "/cancel", carol, Map.of()).status()).isEqualTo(200);
        String dave = buyer();
        String declined = order(orders, dave, galaId, tierId(gala, 0), 1);
        pay(declined, dave, "pm_card_chargeDeclined");
        String erin = buyer();
        String cancelledByOrganiser = order(orders, erin, concertId, tierId(concert, 0), 2);
        assertThat(api.post("/api/v1/orders/" + cancelledByOrganiser + "/cancel", ORGANIZER, Map.of()).status())
                .isEqualTo(200);
        order(orders, buyer(), concertId, tierId(concert, 0), 1);   // held, never paid

        JsonNode balcony = api.post("/api/v1/events/" + concertId + "/tiers", ORGANIZER,
                Map.of("name", "Balcony", "priceCents", 6000, "capacity", 5)).body();
        assertThat(api.patch("/api/v1/events/" + concertId + "/tiers/" + tierId(concert, 0), ORGANIZER,
                Map.of("capacity", 25)).status()).isEqualTo(200);
        String frank = buyer();
        String balconyPaid = order(orders, frank, concertId, balcony.path("tierId").asText(), 2);
        pay(balconyPaid, frank, "pm_card_visa");

        await().atMost(Duration.ofSeconds(20)).until(() ->
                !api.get("/api/v1/orders/" + declined, dave).body().path("payment").path("lastError").isNull());
        awaitOrder(paid, alice, "CONFIRMED");
        awaitOrder(refunded, bob, "REFUNDED");
        awaitOrder(balconyPaid, frank, "CONFIRMED");
        awaitSettledLedger(paid, 2);
        awaitSettledLedger(refunded, 3);
        awaitSettledLedger(balconyPaid, 2);
        history = new History(List.of(galaId, concertId), List.copyOf(orders));
        return history;
    }

    private String order(List<String> orders, String buyer, String eventId, Object... tierAndQuantity) {
        ApiClient.Response reserved = reserve(buyer, eventId, tierAndQuantity);
        assertThat(reserved.status()).as(reserved.toString()).isEqualTo(201);
        String orderId = reserved.body().path("orderId").asText();
        orders.add(orderId);
        return orderId;
    }

    private void pay(String orderId, String buyer, String card) {
        JsonNode payment = awaitPayment(orderId, buyer);
        stripeBuyer().confirm(payment.path("paymentIntentId").asText(), payment.path("clientSecret").asText(), card);
    }

    /** The sale, the Stripe fee (from charge.updated) and any refund are booked. */
    private void awaitSettledLedger(String orderId, int entries) {
        await().atMost(Duration.ofSeconds(20)).until(() ->
                api.get("/api/v1/ledger/entries?orderId=" + orderId, AUDITOR).body().size() == entries);
    }
}
