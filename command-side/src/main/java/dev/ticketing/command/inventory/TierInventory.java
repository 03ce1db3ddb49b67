package dev.ticketing.command.inventory;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonFormat;
import dev.ticketing.api.EventId;
import dev.ticketing.api.OrderId;
import dev.ticketing.api.TicketId;
import dev.ticketing.api.TierId;
import dev.ticketing.api.inventory.AddTier;
import dev.ticketing.api.inventory.CancelReservation;
import dev.ticketing.api.inventory.ChangeTierCapacity;
import dev.ticketing.api.inventory.ConfirmOrder;
import dev.ticketing.api.inventory.CreateEventInventory;
import dev.ticketing.api.inventory.EventInventoryCreated;
import dev.ticketing.api.inventory.HoldsExpiryScheduled;
import dev.ticketing.api.inventory.IssuedTicket;
import dev.ticketing.api.inventory.OrderConfirmed;
import dev.ticketing.api.inventory.ReservationCancelled;
import dev.ticketing.api.inventory.ReservationExpired;
import dev.ticketing.api.inventory.ReserveTickets;
import dev.ticketing.api.inventory.ReserveTicketsBatch;
import dev.ticketing.api.inventory.ReservedLine;
import dev.ticketing.api.inventory.TicketRequest;
import dev.ticketing.api.inventory.TicketsReserved;
import dev.ticketing.api.inventory.TierAdded;
import dev.ticketing.api.inventory.TierCapacityChanged;
import dev.ticketing.api.inventory.TierSpec;
import dev.ticketing.api.payment.LatePaymentRefused;
import dev.ticketing.api.payment.MarkPaymentProcessing;
import dev.ticketing.api.payment.OrderRefunded;
import dev.ticketing.api.payment.PaymentFailed;
import dev.ticketing.api.payment.PaymentIntentCreated;
import dev.ticketing.api.payment.PaymentProcessing;
import dev.ticketing.api.payment.PaymentRefused;
import dev.ticketing.api.payment.RecordPaymentFailure;
import dev.ticketing.api.payment.RecordPaymentIntent;
import dev.ticketing.api.payment.RecordPaymentRefusal;
import dev.ticketing.api.payment.RecordRefund;
import dev.ticketing.api.payment.RecordRefundRefusal;
import dev.ticketing.api.payment.RefundRefused;
import dev.ticketing.api.payment.RefundRequested;
import dev.ticketing.api.payment.RequestRefund;
import dev.ticketing.api.rejection.CapacityBelowCommitted;
import dev.ticketing.api.rejection.EventAtCapacity;
import dev.ticketing.api.rejection.InvalidRequest;
import dev.ticketing.api.rejection.MembershipRequired;
import dev.ticketing.api.rejection.OrderNotCancellable;
import dev.ticketing.api.rejection.OrderNotConfirmable;
import dev.ticketing.api.rejection.OrderNotPayable;
import dev.ticketing.api.rejection.OrderNotRefundable;
import dev.ticketing.api.rejection.PendingOrderExists;
import dev.ticketing.api.rejection.Rejection;
import dev.ticketing.api.rejection.TierNotFound;
import dev.ticketing.api.rejection.TierSoldOut;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.messaging.MetaData;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.serialization.Revision;
import org.axonframework.spring.stereotype.Aggregate;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.Comparator;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * The tickets of one event: its tiers, the event-wide limit and the live holds. Every rule about
 * what may be held or sold is decided here, one command at a time, so nothing is ever oversold.
 * State is counts per tier plus one compact entry per live hold (100,000 holds must fit the
 * service's heap twice: the cached inventory and the snapshotter's copy) and snapshotted; fields
 * are read by Jackson for snapshots, hence the field visibility. The revision names the snapshot's shape: a snapshot of
 * another revision is passed over (the inventory is then loaded from its events).
 */
@Revision("6")
@Aggregate(snapshotTriggerDefinition = "tierInventorySnapshotTrigger", cache = "tierInventoryCache")
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class TierInventory {

    /** The inventory's one expiry deadline: every hold ended by then expires. */
    static final String HOLDS_EXPIRY = "holds-expiry";
    /** A hold's own timeout, as holds reserved before the inventory's expiry deadline were given. */
    static final String RESERVATION_EXPIRY = "reservation-expiry";
    /** Far longer than a deadline waits for a poll, or for another node after one died with it. */
    static final Duration EXPIRY_OVERDUE = Duration.ofMinutes(2);
    private static final SecureRandom TICKET_CODES = new SecureRandom();
    private static final char[] CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();

    @AggregateIdentifier
    private EventId eventId;
    private String currency;
    private Integer maxAttendees;
    private boolean membersOnly;
    private int maxTicketsPerOrder;
    private Map<UUID, Tier> tiers = new LinkedHashMap<>();
    /** Live holds by order id. */
    private Map<UUID, Hold> holds = new HashMap<>();
    /** The live hold of each user, for "one unpaid order per user per event". */
    private Map<String, UUID> holdByUser = new HashMap<>();
    /** Orders no longer held, with what a late payment or a refund needs to decide. */
    private Map<UUID, ClosedOrder> closed = new HashMap<>();
    private int heldTotal;
    private int soldTotal;
    /** When the scheduled {@link #HOLDS_EXPIRY} runs; null when none is scheduled. */
    private Instant expiryAt;

    enum Outcome { EXPIRED, CANCELLED, CONFIRMED, REFUND_REQUESTED, REFUNDED, LATE_PAYMENT_REFUSED }

    /**
     * A live hold: only what the rules and the hold's end need (the event's currency and the order
     * id are the inventory's and the key). {@code deadlineId}: a timeout of the hold's own (holds
     * reserved before the inventory's expiry deadline), else null; {@code processingUntil}: Stripe
     * is settling, so the hold lasts until then; {@code paymentIntentId}: set once the buyer
     * started to pay. Snapshotted as an array, without field names: the snapshot of a hot on-sale
     * is mostly holds.
     */
    @JsonFormat(shape = JsonFormat.Shape.ARRAY)
    record Hold(String userId, List<ReservedLine> lines, long totalCents, Instant expiresAt, String deadlineId,
                Instant processingUntil, String paymentIntentId) {
        Hold settling(Instant until, String newDeadlineId) {
            return new Hold(userId, lines, totalCents, expiresAt, newDeadlineId, until, paymentIntentId);
        }

        Hold paidThrough(String intentId) {
            return new Hold(userId, lines, totalCents, expiresAt, deadlineId, processingUntil, intentId);
        }

        boolean processing() {
            return processingUntil != null;
        }

        /** When the hold expires unless it is paid or cancelled first. */
        Instant endsAt() {
            return processing() ? processingUntil : expiresAt;
        }

        int ticketCount() {
            return lines.stream().mapToInt(ReservedLine::quantity).sum();
        }
    }

    @JsonFormat(shape = JsonFormat.Shape.ARRAY)
    record ClosedOrder(String userId, List<ReservedLine> lines, long totalCents, Outcome outcome) {
        ClosedOrder now(Outcome next) {
            return new ClosedOrder(userId, lines, totalCents, next);
        }

        int ticketCount() {
            return lines.stream().mapToInt(ReservedLine::quantity).sum();
        }
    }

    /** Counts of one tier; mutable, owned by the aggregate. */
    @JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY)
    static class Tier {
        TierId id;
        String name;
        long priceCents;
        int capacity;
        int held;
        int sold;

        Tier() {
        }

        Tier(TierSpec spec) {
            this.id = spec.tierId();
            this.name = spec.name();
            this.priceCents = spec.priceCents();
            this.capacity = spec.capacity();
        }

        int free() {
            return Math.max(0, capacity - held - sold);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Tier tier && id.equals(tier.id) && name.equals(tier.name) && priceCents == tier.priceCents
                    && capacity == tier.capacity && held == tier.held && sold == tier.sold;
        }

        @Override
        public int hashCode() {
            return Objects.hash(id, name, priceCents, capacity, held, sold);
        }
    }

    protected TierInventory() {
        // for Axon and Jackson
    }

    @CommandHandler
    public TierInventory(CreateEventInventory command) {
        if (!ChargeableAmounts.supports(command.currency())) {
            throw new InvalidRequest("currency", command.currency().toUpperCase(Locale.ROOT)
                    + " is not a currency Stripe can charge");
        }
        requireDistinctTiers(command.tiers());
        command.tiers().forEach(tier -> requireChargeable(command.currency(), tier, "tiers.priceCents"));
        apply(new EventInventoryCreated(command.eventId(), command.name(), command.startsAt(), command.currency(),
                command.maxAttendees(), command.membersOnly(), command.maxTicketsPerOrder(), command.tiers()));
    }

    @CommandHandler
    public void handle(AddTier command) {
        List<TierSpec> all = new ArrayList<>();
        tiers.forEach((id, tier) -> all.add(new TierSpec(new TierId(id), tier.name, tier.priceCents, tier.capacity)));
        all.add(command.tier());
        requireDistinctTiers(all);
        requireChargeable(currency, command.tier(), "priceCents");
        apply(new TierAdded(eventId, command.tier()));
    }

    @CommandHandler
    public void handle(ChangeTierCapacity command) {
        Tier tier = tier(command.tierId());
        int committed = tier.held + tier.sold;
        if (command.capacity() < committed) {
            throw new CapacityBelowCommitted(command.tierId(), committed);
        }
        if (command.capacity() != tier.capacity) {
            apply(new TierCapacityChanged(eventId, command.tierId(), tier.capacity, command.capacity()));
        }
    }

    /**
     * Holds every line or none, and schedules the hold's expiry. Returns the granted hold. Order
     * ids are made fresh per request; the order directory's key rejects one used before. A free
     * order (total 0) has nothing to pay: it is confirmed at once, with its tickets.
     */
    @CommandHandler
    public TicketsReserved handle(ReserveTickets command, DeadlineManager deadlineManager) {
        return reserve(command, MetaData.emptyInstance(), deadlineManager);
    }

    /**
     * Each item decided as if it came alone, in order; a refusal answers that item and changes
     * nothing, the others go on. The answers come back in the items' order.
     */
    @CommandHandler
    public List<Object> handle(ReserveTicketsBatch batch, DeadlineManager deadlineManager) {
        List<Object> answers = new ArrayList<>(batch.items().size());
        for (ReserveTicketsBatch.Item item : batch.items()) {
            try {
                answers.add(reserve(item.command(), MetaData.from(item.metaData()), deadlineManager));
            } catch (Rejection refused) {
                answers.add(refused);
            }
        }
        return answers;
    }

    private TicketsReserved reserve(ReserveTickets command, MetaData metaData, DeadlineManager deadlineManager) {
        if (holds.containsKey(command.orderId().value())) {
            throw new InvalidRequest("orderId", "order " + command.orderId() + " already exists");
        }
        requireValidLines(command.lines());
        if (membersOnly && !command.member()) {
            throw new MembershipRequired();
        }
        UUID pending = holdByUser.get(command.userId());
        if (pending != null) {
            throw new PendingOrderExists(new OrderId(pending));
        }
        List<ReservedLine> lines = new ArrayList<>();
        int requested = 0;
        for (TicketRequest line : command.lines()) {
            Tier tier = tier(line.tierId());
            if (tier.free() < line.quantity()) {
                throw new TierSoldOut(line.tierId(), Math.min(tier.free(), eventFree()));
            }
            lines.add(new ReservedLine(line.tierId(), line.quantity(), tier.priceCents));
            requested += line.quantity();
        }
        if (requested > eventFree()) {
            throw new EventAtCapacity(eventFree());
        }
        long total = lines.stream().mapToLong(ReservedLine::amountCents).sum();
        if (total == 0) {
            var reserved = new TicketsReserved(eventId, command.orderId(), command.userId(), lines, 0, currency,
                    command.requestedAt(), command.requestedAt(), null);
            apply(reserved, metaData);
            confirm(command.orderId(), command.userId(), lines, 0, command.requestedAt(), false, metaData);
            return reserved;
        }
        var expiresAt = command.requestedAt().plus(command.holdFor());
        var reserved = new TicketsReserved(eventId, command.orderId(), command.userId(), lines, total, currency,
                command.requestedAt(), expiresAt, null);
        apply(reserved, metaData); // a batch item's buyer and key, over the batch's own
        expireHoldsBy(expiresAt, command.requestedAt(), deadlineManager);
        return reserved;
    }

    @CommandHandler
    public ReservationCancelled handle(CancelReservation command, DeadlineManager deadlineManager) {
        Hold hold = holds.get(command.orderId().value());
        if (hold == null) {
            throw new OrderNotCancellable(command.orderId());
        }
        cancelOwnTimeout(hold, deadlineManager);
        var cancelled = new ReservationCancelled(eventId, command.orderId(), hold.userId(), hold.lines(),
                command.cancelledBy());
        apply(cancelled);
        return cancelled;
    }

    /**
     * The payment succeeded. A live hold becomes sold tickets. A payment for an order whose hold
     * already ended (expired, cancelled) is honoured when its seats are still free, otherwise it
     * is refused for a full refund: money is never kept without tickets. Repeats change nothing.
     */
    @CommandHandler
    public Object handle(ConfirmOrder command, DeadlineManager deadlineManager) {
        UUID orderId = command.orderId().value();
        Hold hold = holds.get(orderId);
        if (hold != null) {
            cancelOwnTimeout(hold, deadlineManager);
            return confirm(command.orderId(), hold.userId(), hold.lines(), hold.totalCents(), command.confirmedAt(),
                    false, MetaData.emptyInstance());
        }
        ClosedOrder order = closed.get(orderId);
        if (order == null) {
            throw new OrderNotConfirmable(command.orderId());
        }
        if (order.outcome() != Outcome.EXPIRED && order.outcome() != Outcome.CANCELLED) {
            return null; // confirmed, refunded or refused already
        }
        if (seatsFree(order.lines())) {
            return confirm(command.orderId(), order.userId(), order.lines(), order.totalCents(), command.confirmedAt(),
                    true, MetaData.emptyInstance());
        }
        var refused = new LatePaymentRefused(eventId, command.orderId(), order.userId(), order.totalCents(),
                currency);
        apply(refused);
        return refused;
    }

    private OrderConfirmed confirm(OrderId orderId, String userId, List<ReservedLine> lines, long totalCents,
                                   Instant at, boolean late, MetaData metaData) {
        List<IssuedTicket> tickets = new ArrayList<>();
        for (ReservedLine line : lines) {
            for (int i = 0; i < line.quantity(); i++) {
                tickets.add(new IssuedTicket(TicketId.random(), line.tierId(), newTicketCode()));
            }
        }
        var confirmed = new OrderConfirmed(eventId, orderId, userId, lines, totalCents, currency, tickets, at, late);
        apply(confirmed, metaData);
        return confirmed;
    }

    /**
     * The buyer started to pay through this payment intent. Recorded once per hold (a retry or a
     * second node brings the same intent: Stripe's idempotency key is the order's); a hold that
     * ended meanwhile is refused, and the caller cancels the intent it just made.
     */
    @CommandHandler
    public void handle(RecordPaymentIntent command) {
        Hold hold = holds.get(command.orderId().value());
        if (hold == null) {
            throw new OrderNotPayable(command.orderId(), "is no longer held");
        }
        if (hold.paymentIntentId() == null) {
            apply(new PaymentIntentCreated(eventId, command.orderId(), command.paymentIntentId()));
        }
    }

    /** Stripe will never take this order's payment: the hold ends now rather than at its timeout. */
    @CommandHandler
    public void handle(RecordPaymentRefusal command, DeadlineManager deadlineManager) {
        Hold hold = holds.get(command.orderId().value());
        if (hold != null) {
            cancelOwnTimeout(hold, deadlineManager);
            apply(new PaymentRefused(eventId, command.orderId(), hold.userId(), hold.lines(), command.code(),
                    command.reason()));
        }
    }

    /** Stripe will never refund this order: recorded for organisers and auditors, the order stays as it was. */
    @CommandHandler
    public void handle(RecordRefundRefusal command) {
        ClosedOrder order = closed.get(command.orderId().value());
        if (order != null && (order.outcome() == Outcome.REFUND_REQUESTED
                || order.outcome() == Outcome.LATE_PAYMENT_REFUSED)) {
            apply(new RefundRefused(eventId, command.orderId(), command.code(), command.reason()));
        }
    }

    /** While Stripe settles, the hold does not expire at its usual time but at {@code holdUntil}. */
    @CommandHandler
    public void handle(MarkPaymentProcessing command, DeadlineManager deadlineManager) {
        UUID orderId = command.orderId().value();
        Hold hold = holds.get(orderId);
        if (hold != null && !hold.processing()) {
            // never shorter than the hold itself
            Instant holdUntil = command.holdUntil().isAfter(hold.expiresAt()) ? command.holdUntil() : hold.expiresAt();
            cancelOwnTimeout(hold, deadlineManager);
            apply(new PaymentProcessing(eventId, command.orderId(), holdUntil, null));
            expireHoldsBy(holdUntil, GenericEventMessage.clock.instant(), deadlineManager);
        }
    }

    /**
     * A failed attempt: the buyer may try again while the hold lasts; one that arrives after the
     * hold's own end expires the order.
     */
    @CommandHandler
    public void handle(RecordPaymentFailure command, DeadlineManager deadlineManager) {
        UUID orderId = command.orderId().value();
        Hold hold = holds.get(orderId);
        if (hold == null) {
            return;
        }
        if (!command.at().isBefore(hold.expiresAt())) {
            cancelOwnTimeout(hold, deadlineManager);
            apply(new ReservationExpired(eventId, command.orderId(), hold.userId(), hold.lines()));
            return;
        }
        if (hold.processing()) {
            cancelOwnTimeout(hold, deadlineManager);
        }
        apply(new PaymentFailed(eventId, command.orderId(), command.code(), command.message(), hold.expiresAt(),
                null));
        expireHoldsBy(hold.expiresAt(), command.at(), deadlineManager);   // no longer kept until the end of processing
    }

    @CommandHandler
    public void handle(RequestRefund command) {
        ClosedOrder order = closed.get(command.orderId().value());
        if (order != null && order.outcome() == Outcome.REFUND_REQUESTED) {
            return;
        }
        if (order == null || order.outcome() != Outcome.CONFIRMED) {
            throw new OrderNotRefundable(command.orderId());
        }
        apply(new RefundRequested(eventId, command.orderId(), command.requestedBy()));
        if (order.totalCents() == 0) {   // nothing was paid: no Stripe refund to wait for
            apply(new OrderRefunded(eventId, command.orderId(), order.userId(), order.lines(), 0, currency, true));
        }
    }

    /** Stripe refunded the charge: a sold order's seats go back on sale; a refused late payment just ends. */
    @CommandHandler
    public void handle(RecordRefund command) {
        ClosedOrder order = closed.get(command.orderId().value());
        if (order == null) {
            return;
        }
        boolean sold = order.outcome() == Outcome.CONFIRMED || order.outcome() == Outcome.REFUND_REQUESTED;
        if (sold || order.outcome() == Outcome.LATE_PAYMENT_REFUSED) {
            apply(new OrderRefunded(eventId, command.orderId(), order.userId(), order.lines(), command.amountCents(),
                    currency, sold));
        }
    }

    /**
     * The inventory's expiry deadline: every hold ended by now expires, and the next one is
     * scheduled for the first hold left to end. Only the deadline this inventory last scheduled
     * schedules the next (one superseded by an earlier one still expires what has ended).
     */
    @DeadlineHandler(deadlineName = HOLDS_EXPIRY)
    public void onHoldsExpiry(HoldsExpiry due, DeadlineManager deadlineManager) {
        // it runs at its time or later; a hold left must end after that, so the next one is later
        Instant clock = GenericEventMessage.clock.instant();
        Instant now = clock.isBefore(due.at()) ? due.at() : clock;
        // in the order they ended (then by order id): a replay of the same facts reads the same
        List<Map.Entry<UUID, Hold>> ended = holds.entrySet().stream()
                .filter(held -> !held.getValue().endsAt().isAfter(now))
                .sorted(Comparator.comparing((Map.Entry<UUID, Hold> held) -> held.getValue().endsAt())
                        .thenComparing(Map.Entry::getKey))
                .toList();
        for (Map.Entry<UUID, Hold> held : ended) {
            cancelOwnTimeout(held.getValue(), deadlineManager);
            apply(new ReservationExpired(eventId, new OrderId(held.getKey()), held.getValue().userId(),
                    held.getValue().lines()));
        }
        if (due.at().equals(expiryAt)) {
            Instant next = holds.values().stream().map(Hold::endsAt).min(Comparator.naturalOrder()).orElse(null);
            if (next != null) {
                deadlineManager.schedule(next, HOLDS_EXPIRY, new HoldsExpiry(next));
            }
            apply(new HoldsExpiryScheduled(eventId, next));
        }
    }

    /** What the inventory's expiry deadline carries: the time it was scheduled for. */
    public record HoldsExpiry(Instant at) {
    }

    /** A hold's own timeout (holds reserved before the inventory's expiry deadline). */
    @DeadlineHandler(deadlineName = RESERVATION_EXPIRY)
    public void onReservationDeadline(OrderId orderId) {
        Hold hold = holds.get(orderId.value());
        if (hold != null) {
            apply(new ReservationExpired(eventId, orderId, hold.userId(), hold.lines()));
        }
    }

    /**
     * Makes sure the inventory's expiry deadline runs by {@code endsAt}. One overdue by more than
     * {@link #EXPIRY_OVERDUE} at {@code now} is taken as lost (say, an inventory restored without
     * its deadlines) and scheduled anew: an extra run expires nothing twice.
     */
    private void expireHoldsBy(Instant endsAt, Instant now, DeadlineManager deadlineManager) {
        boolean lost = expiryAt != null && expiryAt.isBefore(now.minus(EXPIRY_OVERDUE));
        if (expiryAt == null || endsAt.isBefore(expiryAt) || lost) {
            deadlineManager.schedule(endsAt, HOLDS_EXPIRY, new HoldsExpiry(endsAt));
            apply(new HoldsExpiryScheduled(eventId, endsAt));
        }
    }

    private static void cancelOwnTimeout(Hold hold, DeadlineManager deadlineManager) {
        if (hold.deadlineId() != null) {
            deadlineManager.cancelSchedule(RESERVATION_EXPIRY, hold.deadlineId());
        }
    }

    // ---- state: event-sourcing handlers only set fields ----

    @EventSourcingHandler
    void on(EventInventoryCreated event) {
        eventId = event.eventId();
        currency = event.currency();
        maxAttendees = event.maxAttendees();
        membersOnly = event.membersOnly();
        maxTicketsPerOrder = event.maxTicketsPerOrder();
        event.tiers().forEach(spec -> tiers.put(spec.tierId().value(), new Tier(spec)));
    }

    @EventSourcingHandler
    void on(TierAdded event) {
        tiers.put(event.tier().tierId().value(), new Tier(event.tier()));
    }

    @EventSourcingHandler
    void on(TierCapacityChanged event) {
        tiers.get(event.tierId().value()).capacity = event.newCapacity();
    }

    @EventSourcingHandler
    void on(TicketsReserved event) {
        // the tier's own id instance in each line: one hold fewer object per line
        List<ReservedLine> lines = event.lines().stream()
                .map(line -> new ReservedLine(tierKey(line.tierId()), line.quantity(), line.unitPriceCents()))
                .toList();
        holds.put(event.orderId().value(), new Hold(event.userId(), lines, event.totalCents(), event.expiresAt(),
                event.expiryDeadlineId(), null, null));
        holdByUser.put(event.userId(), event.orderId().value());
        event.lines().forEach(line -> tiers.get(line.tierId().value()).held += line.quantity());
        heldTotal += event.ticketCount();
    }

    @EventSourcingHandler
    void on(HoldsExpiryScheduled event) {
        expiryAt = event.at();
    }

    @EventSourcingHandler
    void on(ReservationCancelled event) {
        release(event.orderId(), Outcome.CANCELLED);
    }

    @EventSourcingHandler
    void on(ReservationExpired event) {
        release(event.orderId(), Outcome.EXPIRED);
    }

    @EventSourcingHandler
    void on(OrderConfirmed event) {
        if (event.late()) {
            closed.put(event.orderId().value(), closed.get(event.orderId().value()).now(Outcome.CONFIRMED));
        } else {
            release(event.orderId(), Outcome.CONFIRMED);
        }
        event.lines().forEach(line -> tiers.get(line.tierId().value()).sold += line.quantity());
        soldTotal += event.lines().stream().mapToInt(ReservedLine::quantity).sum();
    }

    @EventSourcingHandler
    void on(PaymentIntentCreated event) {
        holds.computeIfPresent(event.orderId().value(), (id, hold) -> hold.paidThrough(event.paymentIntentId()));
    }

    @EventSourcingHandler
    void on(PaymentRefused event) {
        release(event.orderId(), Outcome.CANCELLED);
    }

    @EventSourcingHandler
    void on(RefundRefused event) {
        UUID orderId = event.orderId().value();
        if (closed.get(orderId).outcome() == Outcome.REFUND_REQUESTED) {
            closed.put(orderId, closed.get(orderId).now(Outcome.CONFIRMED));   // still sold; may be asked again
        }
    }

    @EventSourcingHandler
    void on(PaymentProcessing event) {
        holds.computeIfPresent(event.orderId().value(), (id, hold) -> hold.settling(event.holdUntil(), event.deadlineId()));
    }

    @EventSourcingHandler
    void on(PaymentFailed event) {
        holds.computeIfPresent(event.orderId().value(), (id, hold) -> hold.settling(null,
                event.deadlineId() != null ? event.deadlineId() : hold.deadlineId()));
    }

    @EventSourcingHandler
    void on(LatePaymentRefused event) {
        closed.put(event.orderId().value(), closed.get(event.orderId().value()).now(Outcome.LATE_PAYMENT_REFUSED));
    }

    @EventSourcingHandler
    void on(RefundRequested event) {
        closed.put(event.orderId().value(), closed.get(event.orderId().value()).now(Outcome.REFUND_REQUESTED));
    }

    @EventSourcingHandler
    void on(OrderRefunded event) {
        UUID orderId = event.orderId().value();
        if (event.seatsReleased()) {
            event.lines().forEach(line -> tiers.get(line.tierId().value()).sold -= line.quantity());
            soldTotal -= closed.get(orderId).ticketCount();
        }
        closed.put(orderId, closed.get(orderId).now(Outcome.REFUNDED));
    }

    /** A hold ends: its seats are free again (or, when confirmed, counted as sold by the caller). */
    private void release(OrderId orderId, Outcome outcome) {
        UUID id = orderId.value();
        Hold hold = holds.remove(id);
        holdByUser.remove(hold.userId());
        hold.lines().forEach(line -> tiers.get(line.tierId().value()).held -= line.quantity());
        heldTotal -= hold.ticketCount();
        closed.put(id, new ClosedOrder(hold.userId(), hold.lines(), hold.totalCents(), outcome));
    }

    // ---- rules ----

    private Tier tier(TierId tierId) {
        Tier tier = tiers.get(tierId.value());
        if (tier == null) {
            throw new TierNotFound(tierId);
        }
        return tier;
    }

    /** The id the tier's own entry was made with (a hold is granted only on an existing tier). */
    private TierId tierKey(TierId tierId) {
        return tiers.get(tierId.value()).id;
    }

    private boolean seatsFree(List<ReservedLine> lines) {
        int total = 0;
        for (ReservedLine line : lines) {
            if (tiers.get(line.tierId().value()).free() < line.quantity()) {
                return false;
            }
            total += line.quantity();
        }
        return total <= eventFree();
    }

    /** Places left under {@code maxAttendees}; unlimited when the event has none. */
    private int eventFree() {
        return maxAttendees == null ? Integer.MAX_VALUE : Math.max(0, maxAttendees - heldTotal - soldTotal);
    }

    private void requireValidLines(List<TicketRequest> lines) {
        if (lines == null || lines.isEmpty()) {
            throw new InvalidRequest("selections", "must not be empty");
        }
        var seen = new HashSet<TierId>();
        int total = 0;
        for (TicketRequest line : lines) {
            if (line.quantity() < 1) {
                throw new InvalidRequest("selections.quantity", "must be at least 1");
            }
            if (!seen.add(line.tierId())) {
                throw new InvalidRequest("selections.tierId", "tier " + line.tierId() + " is selected twice");
            }
            total += line.quantity();
        }
        if (total > maxTicketsPerOrder) {
            throw new InvalidRequest("selections", "at most " + maxTicketsPerOrder + " tickets per order");
        }
    }

    /** A price is free (0) or an amount Stripe can charge in the event's currency. */
    private static void requireChargeable(String currency, TierSpec tier, String field) {
        if (tier.priceCents() != 0) {
            ChargeableAmounts.refusal(currency, tier.priceCents()).ifPresent(limit -> {
                throw new InvalidRequest(field, "tier '" + tier.name() + "': " + limit);
            });
        }
    }

    /** Tier ids are unique, and so are names, ignoring case and surrounding spaces. */
    private static void requireDistinctTiers(List<TierSpec> specs) {
        var ids = new HashSet<TierId>();
        var names = new HashSet<String>();
        for (TierSpec spec : specs) {
            if (!ids.add(spec.tierId())) {
                throw new InvalidRequest("tiers.tierId", "tier " + spec.tierId() + " exists already");
            }
            if (!names.add(spec.name().trim().toLowerCase(Locale.ROOT))) {
                throw new InvalidRequest("tiers.name", "tier name '" + spec.name() + "' is used twice");
            }
        }
    }

    private static String newTicketCode() {
        char[] code = new char[12];
        for (int i = 0; i < code.length; i++) {
            code[i] = CODE_ALPHABET[TICKET_CODES.nextInt(CODE_ALPHABET.length)];
        }
        return new String(code);
    }
}
