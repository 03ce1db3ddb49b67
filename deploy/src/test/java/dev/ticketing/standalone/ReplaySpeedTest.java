package dev.ticketing.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticketing.api.EventId;
import dev.ticketing.api.OrderId;
import dev.ticketing.api.TicketId;
import dev.ticketing.api.TierId;
import dev.ticketing.api.inventory.EventInventoryCreated;
import dev.ticketing.api.inventory.IssuedTicket;
import dev.ticketing.api.inventory.OrderConfirmed;
import dev.ticketing.api.inventory.ReservationCancelled;
import dev.ticketing.api.inventory.ReservedLine;
import dev.ticketing.api.inventory.TicketsReserved;
import dev.ticketing.api.inventory.TierSpec;
import dev.ticketing.api.payment.StripeFeeRecorded;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How fast a read model is rebuilt: 112,000 events of 2,000 events on sale (each created, then
 * 20 orders: a quarter cancelled, the rest confirmed with Stripe's fee) appended straight to the
 * event store, then the availability and ledger projections replayed through the API. Excluded
 * from the default run (tag "benchmark"); run it with
 * the command in docs/testing.md.
 * <p>
 * The payment saga is stopped first: its work on the appended payments is not what is measured;
 * so the application is closed afterwards.
 */
@Tag("benchmark")
@DirtiesContext
class ReplaySpeedTest extends ReplaySupport {

    private static final int EVENTS_ON_SALE = 2_000;
    private static final int ORDERS_PER_EVENT = 20;
    private static final int EVENTS_ON_SALE_PER_TRANSACTION = 20;
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    @Autowired
    PlatformTransactionManager transactionManager;

    private long clockMillis;   // every stored event gets its own instant, as real ones do

    @Test
    void replaySpeedOnAHundredThousandEvents() {
        processing.eventProcessor("PaymentSagaProcessor").ifPresent(EventProcessor::shutDown);
        appendHistory();
        awaitSettled(Duration.ofMinutes(10));
        ReadModels before = readModels(List.of(), List.of());
        assertThat(head()).isGreaterThanOrEqualTo(100_000);

        for (String projection : List.of("availability", "ledger")) {
            ReplayRun run = awaitReplayDone(startReplay(projection), Duration.ofMinutes(10));
            JsonNode result = run.result();
            long events = result.path("totalEvents").asLong();
            double seconds = Duration.between(Instant.parse(result.path("startedAt").asText()),
                    Instant.parse(result.path("finishedAt").asText())).toMillis() / 1000.0;
            System.out.printf("replay %s: %d events in %.1f s = %.0f events/s%n", projection, events, seconds,
                    events / seconds);
            assertThat(run.progress().stream().distinct().count()).as("progress seen while it ran").isGreaterThan(2);
        }
        awaitSettled(Duration.ofMinutes(2));
        assertSameReadModels(readModels(List.of(), List.of()), before);
    }

    private void appendHistory() {
        TransactionTemplate transaction = new TransactionTemplate(transactionManager);
        long started = System.nanoTime();
        long appended = 0;
        for (int batch = 0; batch < EVENTS_ON_SALE / EVENTS_ON_SALE_PER_TRANSACTION; batch++) {
            List<EventMessage<?>> events = new ArrayList<>();
            for (int i = 0; i < EVENTS_ON_SALE_PER_TRANSACTION; i++) {
                events.addAll(historyOfOneEventOnSale());
            }
            transaction.executeWithoutResult(status -> eventStore.publish(events));
            appended += events.size();
            if (batch % 10 == 9) {
                double seconds = (System.nanoTime() - started) / 1e9;
                System.out.printf("appended %d events in %.1f s (%.0f events/s)%n", appended, seconds, appended / seconds);
            }
        }
    }

    private List<EventMessage<?>> historyOfOneEventOnSale() {
        EventId eventId = EventId.random();
        TierId general = TierId.random();
        TierId vip = TierId.random();
        List<EventMessage<?>> history = new ArrayList<>();
        long sequence = 0;   // of the event's stream; each fee is on its order's own
        history.add(event(eventId, sequence++, "organiser", new EventInventoryCreated(eventId, "Gala " + eventId,
                START.plus(Duration.ofDays(200)), "usd", 100, false, 10,
                List.of(new TierSpec(general, "General", 2500, 80), new TierSpec(vip, "VIP", 9000, 30)))));
        for (int n = 0; n < ORDERS_PER_EVENT; n++) {
            OrderId orderId = OrderId.random();
            String buyer = "buyer-" + UUID.randomUUID();
            List<ReservedLine> lines = List.of(new ReservedLine(general, 2, 2500), new ReservedLine(vip, 1, 9000));
            long total = 2 * 2500 + 9000;
            Instant reservedAt = now();
            history.add(event(eventId, sequence++, buyer, new TicketsReserved(eventId, orderId, buyer, lines, total,
                    "usd", reservedAt, reservedAt.plus(Duration.ofMinutes(15)), "deadline-" + orderId)));
            if (n % 4 == 0) {
                history.add(event(eventId, sequence++, buyer,
                        new ReservationCancelled(eventId, orderId, buyer, lines, buyer)));
            } else {
                List<IssuedTicket> tickets = List.of(new IssuedTicket(TicketId.random(), general, code()),
                        new IssuedTicket(TicketId.random(), general, code()), new IssuedTicket(TicketId.random(), vip, code()));
                history.add(event(eventId, sequence++, "stripe", new OrderConfirmed(eventId, orderId, buyer, lines,
                        total, "usd", tickets, now(), false)));
                history.add(new GenericDomainEventMessage<>("OrderPayment", orderId.toString(), 0,
                        new StripeFeeRecorded(eventId, orderId, "txn_" + orderId, Math.round(total * 0.029) + 30, "usd"),
                        Map.of("userId", "stripe"), UUID.randomUUID().toString(), now()));
            }
        }
        return history;
    }

    private EventMessage<?> event(EventId eventId, long sequence, String userId, Object payload) {
        return new GenericDomainEventMessage<>("TierInventory", eventId.toString(), sequence, payload,
                Map.of("userId", userId), UUID.randomUUID().toString(), now());
    }

    private Instant now() {
        return START.plusMillis(clockMillis++);
    }

    private static String code() {
        return UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }
}
