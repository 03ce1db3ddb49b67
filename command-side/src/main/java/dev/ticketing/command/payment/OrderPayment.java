package dev.ticketing.command.payment;

import dev.ticketing.api.OrderId;
import dev.ticketing.api.payment.RecordStripeFee;
import dev.ticketing.api.payment.StripeFeeRecorded;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * The facts of one order's payment that move no seat: they stay out of the event's
 * {@code TierInventory}, whose stream every reservation of a hot on-sale waits on.
 * Its stream is named by the order id. The webhooks record only orders of ours.
 */
@Aggregate
public class OrderPayment {

    @AggregateIdentifier
    private OrderId orderId;
    private boolean feeRecorded;

    protected OrderPayment() {
        // for Axon
    }

    /** Stripe tells of a charge's balance transaction more than once (every charge.updated): one fee per order. */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(RecordStripeFee command) {
        if (!feeRecorded) {
            apply(new StripeFeeRecorded(command.eventId(), command.orderId(), command.balanceTransactionId(),
                    command.feeCents(), command.currency()));
        }
    }

    @EventSourcingHandler
    void on(StripeFeeRecorded event) {
        orderId = event.orderId();
        feeRecorded = true;
    }
}
