package dev.ticketing.command.payment;

import dev.ticketing.api.EventId;
import dev.ticketing.api.OrderId;
import dev.ticketing.api.inventory.CancelReservation;
import dev.ticketing.api.inventory.ConfirmOrder;
import dev.ticketing.api.payment.MarkPaymentProcessing;
import dev.ticketing.api.payment.RecordPaymentFailure;
import dev.ticketing.api.payment.RecordRefund;
import dev.ticketing.api.payment.RecordStripeFee;
import dev.ticketing.api.rejection.Rejection;
import dev.ticketing.command.inventory.InventoryCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Turns Stripe's notifications into commands on the order's inventory. Deliveries come at least
 * once and in any order, so each Stripe event id is acted on once (recorded after it was handled,
 * a failure is retried by Stripe), and the payment intent is re-read: what it is now decides,
 * not what the notification says it was. The inventory's commands are idempotent besides.
 */
@Service
public class PaymentWebhooks {

    private static final Logger log = LoggerFactory.getLogger(PaymentWebhooks.class);
    /** Who Stripe's doings are recorded as (the userId of the commands and events they cause). */
    static final String STRIPE = "stripe";

    private final StripeGateway stripe;
    private final InventoryCommands commands;
    private final JdbcTemplate jdbc;
    private final StripeSettings settings;
    private final Clock clock;

    public PaymentWebhooks(StripeGateway stripe, InventoryCommands commands, JdbcTemplate jdbc,
                           StripeSettings settings, Optional<Clock> clock) {
        this.stripe = stripe;
        this.commands = commands;
        this.jdbc = jdbc;
        this.settings = settings;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    /**
     * @return what was done, for the log and the answer to Stripe; every delivery is logged, a
     * duplicate too, so the log shows each one Stripe made and in which order they came
     */
    public String handle(StripeGateway.Notification notification) {
        String outcome = alreadyHandled(notification.id()) ? "duplicate" : act(notification);
        log.info("Stripe event {} ({}): {}", notification.id(), notification.type(), outcome);
        return outcome;
    }

    private String act(StripeGateway.Notification notification) {
        String outcome = switch (notification.type()) {
            case "payment_intent.processing", "payment_intent.succeeded", "payment_intent.payment_failed",
                 "payment_intent.canceled" -> onIntentChange(notification);
            case "charge.updated" -> onChargeUpdated(notification);
            case "charge.refunded" -> onChargeRefunded(notification);
            default -> "ignored";
        };
        remember(notification);
        return outcome;
    }

    private String onIntentChange(StripeGateway.Notification notification) {
        Optional<StripeGateway.Intent> found = stripe.find(notification.paymentIntentId());
        Optional<Order> order = found.flatMap(PaymentWebhooks::order);
        if (order.isEmpty()) {
            return "not an order of ours";
        }
        StripeGateway.Intent intent = found.get();
        Order o = order.get();
        Instant now = clock.instant();
        return switch (intent.status()) {
            case "succeeded" -> send(notification, o, new ConfirmOrder(o.eventId(), o.orderId(), now), "confirmed");
            case "processing" -> send(notification, o, new MarkPaymentProcessing(o.eventId(), o.orderId(),
                    now.plus(settings.maxProcessing())), "processing");
            case "canceled" -> send(notification, o, new CancelReservation(o.eventId(), o.orderId(), STRIPE), "cancelled");
            case "requires_payment_method" -> "payment_intent.payment_failed".equals(notification.type())
                    ? send(notification, o, new RecordPaymentFailure(o.eventId(), o.orderId(), intent.lastErrorCode(),
                            intent.lastErrorMessage(), now), "payment failed")
                    : "nothing to do";
            default -> "nothing to do";
        };
    }

    private String onChargeUpdated(StripeGateway.Notification notification) {
        if (notification.balanceTransactionId() == null || notification.paymentIntentId() == null) {
            return "no balance transaction yet";
        }
        Optional<Order> order = stripe.find(notification.paymentIntentId()).flatMap(PaymentWebhooks::order);
        if (order.isEmpty()) {
            return "not an order of ours";
        }
        StripeGateway.Fee fee = stripe.fee(notification.balanceTransactionId());
        Order o = order.get();
        return send(notification, o, new RecordStripeFee(o.eventId(), o.orderId(), notification.balanceTransactionId(),
                fee.feeCents(), fee.currency()), "fee " + fee.feeCents());
    }

    private String onChargeRefunded(StripeGateway.Notification notification) {
        if (notification.paymentIntentId() == null || notification.amountRefunded() < notification.amount()) {
            return "not a full refund";
        }
        Optional<Order> order = stripe.find(notification.paymentIntentId()).flatMap(PaymentWebhooks::order);
        if (order.isEmpty()) {
            return "not an order of ours";
        }
        Order o = order.get();
        return send(notification, o, new RecordRefund(o.eventId(), o.orderId(), notification.amountRefunded()), "refunded");
    }

    private record Order(EventId eventId, OrderId orderId) {
    }

    private static Optional<Order> order(StripeGateway.Intent intent) {
        if (intent.orderId() == null || intent.eventId() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Order(new EventId(UUID.fromString(intent.eventId())),
                    new OrderId(UUID.fromString(intent.orderId()))));
        } catch (IllegalArgumentException notOurs) {
            return Optional.empty();
        }
    }

    /**
     * Sent as Stripe's, correlated with the Stripe event, so the events it causes can be traced to it.
     * A command the inventory refuses (e.g. cancelling an order already confirmed) is a handled outcome.
     */
    private String send(StripeGateway.Notification notification, Order order, Object command, String done) {
        MDC.put("orderId", order.orderId().toString());
        MDC.put("eventId", order.eventId().toString());
        try {
            commands.send(order.eventId(), command, STRIPE, Map.of("correlationId", notification.id()));
            return done;
        } catch (Rejection refused) {
            return "refused: " + refused.code();
        }
    }

    private boolean alreadyHandled(String stripeEventId) {
        Integer seen = jdbc.queryForObject("SELECT count(*) FROM stripe_webhook_events WHERE event_id = ?",
                Integer.class, stripeEventId);
        return seen != null && seen > 0;
    }

    private void remember(StripeGateway.Notification notification) {
        try {
            jdbc.update("INSERT INTO stripe_webhook_events (event_id, type, received_at) VALUES (?, ?, ?)",
                    notification.id(), notification.type(), Timestamp.from(clock.instant()));
        } catch (DuplicateKeyException handledConcurrently) {
            // a simultaneous delivery of the same event did the same, idempotent, work
        }
    }
}
