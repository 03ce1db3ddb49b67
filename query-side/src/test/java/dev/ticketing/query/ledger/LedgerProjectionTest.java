package dev.ticketing.query.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticketing.api.EventId;
import dev.ticketing.api.OrderId;
import dev.ticketing.api.TicketId;
import dev.ticketing.api.TierId;
import dev.ticketing.api.inventory.EventInventoryCreated;
import dev.ticketing.api.inventory.IssuedTicket;
import dev.ticketing.api.inventory.OrderConfirmed;
import dev.ticketing.api.inventory.ReservationExpired;
import dev.ticketing.api.inventory.ReservedLine;
import dev.ticketing.api.inventory.TicketsReserved;
import dev.ticketing.api.inventory.TierSpec;
import dev.ticketing.api.payment.LatePaymentRefused;
import dev.ticketing.api.payment.OrderRefunded;
import dev.ticketing.api.payment.RefundRequested;
import dev.ticketing.api.payment.StripeFeeRecorded;
import dev.ticketing.platform.testing.ApiClient;
import dev.ticketing.platform.testing.TestDatabase;
import dev.ticketing.platform.testing.TestTokens;
import dev.ticketing.query.QuerySideApplication;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The ledger projection in the query-side app on the real PostgreSQL: events are appended to the
 * event store as the command side's TierInventory appends them, and the ledger is read over HTTP.
 * The tests share one app and one ledger, so each uses events of its own and looks at the shared
 * accounts as a difference.
 */
@SpringBootTest(classes = QuerySideApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "ticketing.security.jwt.hmac-secret=" + TestTokens.SECRET)
class LedgerProjectionTest {

    private static final String AUDITOR = TestTokens.token("abe", "AUDITOR");
    private static final String ORGANIZER = TestTokens.token("olga", "ORGANIZER");
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final long PRICE = 7000;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.useFreshSchema(registry);
    }

    @LocalServerPort
    int port;
    @Autowired
    EventStore eventStore;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    EventProcessingConfiguration processing;
    @Autowired
    TokenStore tokenStore;
    @Autowired
    JdbcTemplate jdbc;
    ApiClient api;

    @BeforeEach
    void client() {
        api = ApiClient.onPort(port);
    }

    @Test
    void aConfirmationAndItsFeeGiveExactBalances() {
        Map<String, Long> before = balances();
        Inventory gala = new Inventory();
        OrderId order = gala.sell(2).orderId();
        gala.fee(order, 436);

        List<JsonNode> entries = awaitEntries("orderId=" + order, 2);
        JsonNode sale = entries.get(0);
        assertThat(sale.path("entryId").asText()).isEqualTo("confirmed:" + order);
        assertThat(sale.path("orderId").asText()).isEqualTo(order.toString());
        assertThat(sale.path("eventId").asText()).isEqualTo(gala.eventId.toString());
        assertThat(sale.path("description").asText()).isEqualTo("Tickets sold, order " + order);
        // the event's own timestamp (to the microsecond the database keeps)
        assertThat(Instant.parse(sale.path("at").asText())).isCloseTo(gala.storedTimestamp(2), within(1, ChronoUnit.MICROS));
        assertThat(lines(sale)).containsExactly("stripe_clearing 14000/0", "ticket_revenue:" + gala.eventId + " 0/14000");
        assertThat(entries.get(1).path("entryId").asText()).isEqualTo("fee:" + order);
        assertThat(lines(entries.get(1))).containsExactly("stripe_fees 436/0", "stripe_clearing 0/436");

        Map<String, Long> after = balances();
        assertThat(difference(before, after)).isEqualTo(Map.of(
                "stripe_clearing", 13564L, "ticket_revenue:" + gala.eventId, -14000L, "stripe_fees", 436L));
        assertThat(after.values().stream().mapToLong(Long::longValue).sum()).isZero();
        assertThat(List.copyOf(after.keySet())).isSorted();
    }

    @Test
    void aRefundAfterConfirmationTakesTheSaleBack() {
        Inventory gala = new Inventory();
        TicketsReserved order = gala.sell(2);
        gala.fee(order.orderId(), 436);
        gala.append(new RefundRequested(gala.eventId, order.orderId(), "olga"),
                new OrderRefunded(gala.eventId, order.orderId(), order.userId(), order.lines(), 14000, "usd", true));

        List<JsonNode> entries = awaitEntries("orderId=" + order.orderId(), 3);
        assertThat(entries.get(2).path("entryId").asText()).isEqualTo("refund:" + order.orderId());
        assertThat(lines(entries.get(2))).containsExactly("refunds:" + gala.eventId + " 14000/0", "stripe_clearing 0/14000");
        // the fee stays with us: Stripe does not give it back
        assertThat(netByAccount(entries)).isEqualTo(Map.of("stripe_clearing", -436L, "stripe_fees", 436L,
                "ticket_revenue:" + gala.eventId, -14000L, "refunds:" + gala.eventId, 14000L));
        assertThat(balances()).containsEntry("ticket_revenue:" + gala.eventId, -14000L)
                .containsEntry("refunds:" + gala.eventId, 14000L);
    }

    @Test
    void aLatePaymentRefusedAndRefundedNetsClearingToZero() {
        Inventory gala = new Inventory();
        TicketsReserved hold = gala.reserve(2);
        gala.append(new ReservationExpired(gala.eventId, hold.orderId(), hold.userId(), hold.lines()),
                new LatePaymentRefused(gala.eventId, hold.orderId(), hold.userId(), 14000, "usd"));

        JsonNode owed = awaitEntries("orderId=" + hold.orderId(), 1).get(0);
        assertThat(owed.path("entryId").asText()).isEqualTo("late-payment:" + hold.orderId());
        assertThat(lines(owed)).containsExactly("stripe_clearing 14000/0", "refunds:" + gala.eventId + " 0/14000");

        gala.append(new OrderRefunded(gala.eventId, hold.orderId(), hold.userId(), hold.lines(), 14000, "usd", false));
        List<JsonNode> entries = awaitEntries("orderId=" + hold.orderId(), 2);
        assertThat(netByAccount(entries)).isEqualTo(Map.of("stripe_clearing", 0L, "refunds:" + gala.eventId, 0L));
        assertThat(balances()).containsEntry("refunds:" + gala.eventId, 0L)
                .doesNotContainKey("ticket_revenue:" + gala.eventId);
    }

    @Test
    void entriesAreFilteredByEventAndByOrder() {
        Inventory gala = new Inventory();
        Inventory recital = new Inventory();
        OrderId first = gala.sell(1).orderId();
        OrderId second = gala.sell(2).orderId();
        gala.fee(second, 300);
        TicketsReserved paidLate = recital.reserve(1);
        recital.append(new ReservationExpired(recital.eventId, paidLate.orderId(), paidLate.userId(), paidLate.lines()));
        recital.confirm(paidLate, true);

        awaitEntries("eventId=" + gala.eventId, 3);
        assertThat(entryIds("eventId=" + gala.eventId))
                .containsExactly("confirmed:" + first, "confirmed:" + second, "fee:" + second);
        assertThat(entryIds("orderId=" + second)).containsExactly("confirmed:" + second, "fee:" + second);
        assertThat(entryIds("eventId=" + gala.eventId + "&orderId=" + first)).containsExactly("confirmed:" + first);
        assertThat(entryIds("eventId=" + recital.eventId + "&orderId=" + first)).isEmpty();

        // a late confirmation that found seats is a sale like any other
        JsonNode lateSale = awaitEntries("eventId=" + recital.eventId, 1).get(0);
        assertThat(lateSale.path("description").asText()).isEqualTo("Tickets sold on a late payment, order " + paidLate.orderId());
        assertThat(lines(lateSale)).containsExactly("stripe_clearing 7000/0", "ticket_revenue:" + recital.eventId + " 0/7000");
    }

    @Test
    void aReplayRebuildsTheSameLedgerEntryByEntry() {
        Inventory gala = new Inventory();
        OrderId kept = gala.sell(1).orderId();
        gala.fee(kept, 233);
        TicketsReserved refunded = gala.sell(2);
        gala.append(new OrderRefunded(gala.eventId, refunded.orderId(), refunded.userId(), refunded.lines(), 14000,
                "usd", true));
        awaitEntries("eventId=" + gala.eventId, 4);
        JsonNode journal = entries("");
        Map<String, Long> balances = balances();
        long lastPosition = jdbc.queryForObject("SELECT max(position) FROM ledger_entry", Long.class);

        StreamingEventProcessor ledger = ledgerProcessor();
        ledger.shutDown();
        ledger.resetTokens();
        ledger.start();

        // every entry booked anew (a later position), and the journal the same as before
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(jdbc.queryForObject("SELECT min(position) FROM ledger_entry", Long.class))
                    .isGreaterThan(lastPosition);
            assertThat(entries("")).isEqualTo(journal);
        });
        assertThat(balances()).isEqualTo(balances);
    }

    @Test
    void eventsDeliveredAgainAreNotBookedTwice() {
        Inventory gala = new Inventory();
        OrderId order = gala.sell(1).orderId();
        gala.fee(order, 233);
        awaitEntries("orderId=" + order, 2);
        JsonNode journal = entries("");
        List<Long> positions = jdbc.queryForList("SELECT position FROM ledger_entry ORDER BY position", Long.class);

        // the processor loses its progress (no reset): every stored event comes again, as new
        StreamingEventProcessor ledger = ledgerProcessor();
        ledger.shutDown();
        TrackingToken head = eventStore.createHeadToken();
        int segments = transactions.execute(tx -> {
            int[] all = tokenStore.fetchSegments(LedgerProjection.PROCESSING_GROUP);
            for (int segment : all) {
                tokenStore.storeToken(eventStore.createTailToken(), LedgerProjection.PROCESSING_GROUP, segment);
            }
            return all.length;
        });
        ledger.start();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(ledger.processingStatus().values())
                .hasSize(segments)
                .allSatisfy(status -> assertThat(status.getCurrentPosition().orElse(-1))
                        .isGreaterThanOrEqualTo(head.position().orElseThrow())));

        assertThat(entries("")).isEqualTo(journal);
        assertThat(jdbc.queryForList("SELECT position FROM ledger_entry ORDER BY position", Long.class))
                .isEqualTo(positions);
    }

    @Test
    void onlyOrganizersAndAuditorsReadTheLedger() {
        String buyer = TestTokens.token("bea");
        for (String path : List.of("/api/v1/ledger/accounts", "/api/v1/ledger/entries")) {
            assertThat(api.get(path, AUDITOR).status()).isEqualTo(200);
            assertThat(api.get(path, ORGANIZER).status()).isEqualTo(200);
            ApiClient.Response forBuyer = api.get(path, buyer);
            assertThat(forBuyer.status()).as(forBuyer.toString()).isEqualTo(403);
            assertThat(forBuyer.code()).isEqualTo("FORBIDDEN");
            ApiClient.Response anonymous = api.get(path, null);
            assertThat(anonymous.status()).as(anonymous.toString()).isEqualTo(401);
            assertThat(anonymous.code()).isEqualTo("UNAUTHENTICATED");
        }
        ApiClient.Response notAnId = api.get("/api/v1/ledger/entries?eventId=not-a-uuid", AUDITOR);
        assertThat(notAnId.status()).as(notAnId.toString()).isEqualTo(400);
        assertThat(notAnId.code()).isEqualTo("VALIDATION_FAILED");
    }

    /** One event's inventory aggregate, appending its events as the command side does. */
    private final class Inventory {

        final EventId eventId = EventId.random();
        final TierId tier = TierId.random();
        private long sequence;

        Inventory() {
            append(new EventInventoryCreated(eventId, "Gala " + eventId, Instant.parse("2027-06-01T18:00:00Z"), "usd",
                    null, false, 10, List.of(new TierSpec(tier, "General", PRICE, 100))));
        }

        TicketsReserved reserve(int seats) {
            OrderId order = OrderId.random();
            Instant now = Instant.now();
            var hold = new TicketsReserved(eventId, order, "buyer-" + order, List.of(new ReservedLine(tier, seats, PRICE)),
                    seats * PRICE, "usd", now, now.plusSeconds(600), "deadline-" + order);
            append(hold);
            return hold;
        }

        void confirm(TicketsReserved hold, boolean late) {
            List<IssuedTicket> tickets = new ArrayList<>();
            for (int i = 0; i < hold.ticketCount(); i++) {
                tickets.add(new IssuedTicket(TicketId.random(), tier, "CODE-" + i));
            }
            append(new OrderConfirmed(eventId, hold.orderId(), hold.userId(), hold.lines(), hold.totalCents(), "usd",
                    tickets, Instant.now(), late));
        }

        TicketsReserved sell(int seats) {
            TicketsReserved hold = reserve(seats);
            confirm(hold, false);
            return hold;
        }

        void fee(OrderId order, long cents) {
            append(new StripeFeeRecorded(eventId, order, "txn_" + order, cents, "usd"));
        }

        void append(Object... payloads) {
            transactions.executeWithoutResult(tx -> {
                for (Object payload : payloads) {
                    eventStore.publish(new GenericDomainEventMessage<>("TierInventory", eventId.toString(), sequence++,
                            payload));
                }
            });
        }

        Instant storedTimestamp(long sequenceNumber) {
            return Instant.parse(jdbc.queryForObject("SELECT timeStamp FROM domainevententry"
                    + " WHERE aggregateIdentifier = ? AND sequenceNumber = ?", String.class, eventId.toString(),
                    sequenceNumber));
        }
    }

    private StreamingEventProcessor ledgerProcessor() {
        return processing.eventProcessor(LedgerProjection.PROCESSING_GROUP, StreamingEventProcessor.class)
                .orElseThrow();
    }

    private JsonNode entries(String query) {
        ApiClient.Response response = api.get("/api/v1/ledger/entries?" + query, AUDITOR);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.body();
    }

    /** Waits for exactly {@code count} entries and checks that each balances. */
    private List<JsonNode> awaitEntries(String query, int count) {
        await().atMost(PATIENCE).until(() -> entries(query).size() == count);
        List<JsonNode> entries = new ArrayList<>();
        entries(query).forEach(entries::add);
        for (JsonNode entry : entries) {
            long debits = 0;
            long credits = 0;
            for (JsonNode line : entry.path("lines")) {
                debits += line.path("debitCents").asLong();
                credits += line.path("creditCents").asLong();
            }
            assertThat(debits).as("debits of %s", entry).isEqualTo(credits).isPositive();
        }
        return entries;
    }

    private List<String> entryIds(String query) {
        List<String> ids = new ArrayList<>();
        entries(query).forEach(entry -> ids.add(entry.path("entryId").asText()));
        return ids;
    }

    private Map<String, Long> balances() {
        ApiClient.Response response = api.get("/api/v1/ledger/accounts", AUDITOR);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        Map<String, Long> balances = new LinkedHashMap<>();
        response.body().forEach(account -> balances.put(account.path("account").asText(),
                account.path("balanceCents").asLong()));
        return balances;
    }

    /** "account debit/credit" per line, in order. */
    private static List<String> lines(JsonNode entry) {
        List<String> lines = new ArrayList<>();
        entry.path("lines").forEach(line -> lines.add(line.path("account").asText() + " "
                + line.path("debitCents").asLong() + "/" + line.path("creditCents").asLong()));
        return lines;
    }

    private static Map<String, Long> netByAccount(List<JsonNode> entries) {
        Map<String, Long> net = new HashMap<>();
        entries.forEach(entry -> entry.path("lines").forEach(line -> net.merge(line.path("account").asText(),
                line.path("debitCents").asLong() - line.path("creditCents").asLong(), Long::sum)));
        return net;
    }

    /** The accounts whose balance changed, by how much. */
    private static Map<String, Long> difference(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> changed = new HashMap<>();
        after.forEach((account, balance) -> {
            long change = balance - before.getOrDefault(account, 0L);
            if (change != 0) {
                changed.put(account, change);
            }
        });
        return changed;
    }
}
