package dev.ticketing.query.ledger;

import dev.ticketing.api.EventId;
import dev.ticketing.api.OrderId;
import dev.ticketing.api.inventory.OrderConfirmed;
import dev.ticketing.api.payment.LatePaymentRefused;
import dev.ticketing.api.payment.OrderRefunded;
import dev.ticketing.api.payment.StripeFeeRecorded;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ReplayStatus;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static dev.ticketing.query.ledger.LedgerLine.credit;
import static dev.ticketing.query.ledger.LedgerLine.debit;

/**
 * The double-entry ledger of the money that goes through Stripe. Accounts: {@code stripe_clearing}
 * (asset: money held at Stripe), {@code ticket_revenue:{eventId}} (income), {@code stripe_fees}
 * (expense), {@code refunds:{eventId}} (money owed or paid back to buyers). Each entry is dated
 * with its event's timestamp, so a replay books the same journal.
 */
@Component
@ProcessingGroup(LedgerProjection.PROCESSING_GROUP)
public class LedgerProjection {

    public static final String PROCESSING_GROUP = "ledger";
    static final String STRIPE_CLEARING = "stripe_clearing";
    static final String STRIPE_FEES = "stripe_fees";

    private final LedgerEntryRepository entries;

    public LedgerProjection(LedgerEntryRepository entries) {
        this.entries = entries;
    }

    /** A late confirmation found free seats: a sale like any other. */
    @EventHandler
    void on(OrderConfirmed confirmed, @Timestamp Instant at, ReplayStatus replay) {
        long cents = confirmed.totalCents();
        book(replay, "confirmed:" + confirmed.orderId(), confirmed.eventId(), confirmed.orderId(), at,
                (confirmed.late() ? "Tickets sold on a late payment, order " : "Tickets sold, order ") + confirmed.orderId(),
                debit(STRIPE_CLEARING, cents), credit(ticketRevenue(confirmed.eventId()), cents));
    }

    @EventHandler
    void on(StripeFeeRecorded fee, @Timestamp Instant at, ReplayStatus replay) {
        book(replay, "fee:" + fee.orderId(), fee.eventId(), fee.orderId(), at, "Stripe fee, order " + fee.orderId(),
                debit(STRIPE_FEES, fee.feeCents()), credit(STRIPE_CLEARING, fee.feeCents()));
    }

    /** The money is at Stripe but is not income: it is owed back until its OrderRefunded. */
    @EventHandler
    void on(LatePaymentRefused refused, @Timestamp Instant at, ReplayStatus replay) {
        long cents = refused.amountCents();
        book(replay, "late-payment:" + refused.orderId(), refused.eventId(), refused.orderId(), at,
                "Late payment to refund, seats gone, order " + refused.orderId(),
                debit(STRIPE_CLEARING, cents), credit(refunds(refused.eventId()), cents));
    }

    @EventHandler
    void on(OrderRefunded refunded, @Timestamp Instant at, ReplayStatus replay) {
        long cents = refunded.amountCents();
        book(replay, "refund:" + refunded.orderId(), refunded.eventId(), refunded.orderId(), at,
                "Refund, order " + refunded.orderId(),
                debit(refunds(refunded.eventId()), cents), credit(STRIPE_CLEARING, cents));
    }

    /** Empties the ledger for a replay; the lines go with their entries (ON DELETE CASCADE). */
    @ResetHandler
    void reset() {
        entries.deleteAllInBatch();
    }

    static String ticketRevenue(EventId eventId) {
        return "ticket_revenue:" + eventId;
    }

    static String refunds(EventId eventId) {
        return "refunds:" + eventId;
    }

    /**
     * Books the fact unless it is booked already: a redelivered event changes nothing. A replay
     * starts from an emptied ledger and books each event once, in the transaction that moves its
     * token: it skips the look-up, one round trip to the database per entry (most of a replay's time).
     * A fact that moves no money (free tickets sold or given back) is no entry.
     */
    private void book(ReplayStatus replay, String entryId, EventId eventId, OrderId orderId, Instant at,
                      String description, LedgerLine... lines) {
        if (Arrays.stream(lines).allMatch(line -> line.getDebitCents() == 0 && line.getCreditCents() == 0)) {
            return;
        }
        // findById, not existsById: a query would first flush every entry of the batch so far (and
        // dirty-check them all), per entry; a look-up by id needs no flush
        if (replay.isReplay() || entries.findById(entryId).isEmpty()) {
            entries.save(new LedgerEntry(entryId, orderId.value(), eventId.value(), at, description, List.of(lines)));
        }
    }
}
