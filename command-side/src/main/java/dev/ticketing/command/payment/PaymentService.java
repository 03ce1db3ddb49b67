package dev.ticketing.command.payment;

import dev.ticketing.api.OrderId;
import dev.ticketing.api.inventory.TicketsReserved;
import dev.ticketing.api.payment.RecordPaymentIntent;
import dev.ticketing.api.payment.RecordPaymentRefusal;
import dev.ticketing.api.rejection.Forbidden;
import dev.ticketing.api.rejection.OrderNotFound;
import dev.ticketing.api.rejection.OrderNotPayable;
import dev.ticketing.api.rejection.PaymentNotReady;
import dev.ticketing.api.rejection.PaymentUnavailable;
import dev.ticketing.command.inventory.InventoryCommands;
import dev.ticketing.command.reservation.OrderDirectory;
import dev.ticketing.platform.security.CurrentUser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.util.Locale;
import java.util.Optional;

/**
 * The buyer starts to pay: only now is a payment intent made (a hold nobody pays for costs no
 * Stripe call), one per order, ever. Stripe busy or out of reach is "not ready, try again" for
 * the buyer while the hold lasts; Stripe refusing the payment for good ends the order's hold
 * with the reason, and nothing else is held up.
 */
@Service
public class PaymentService {

    private static final Logger log = LoggerFactory.getLogger(PaymentService.class);

    private final OrderDirectory directory;
    private final StripeGateway stripe;
    private final InventoryCommands commands;
    private final Clock clock;

    public PaymentService(OrderDirectory directory, StripeGateway stripe, InventoryCommands commands,
                          Optional<Clock> clock) {
        this.directory = directory;
        this.stripe = stripe;
        this.commands = commands;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    /** The order's payment intent, made now if it has none: what the buyer's page pays with. */
    public StripeGateway.Checkout start(OrderId orderId, CurrentUser buyer) {
        MDC.put("orderId", orderId.toString());
        OrderDirectory.Entry order = directory.find(orderId).orElseThrow(() -> new OrderNotFound(orderId.toString()));
        MDC.put("eventId", order.eventId().toString());
        if (!order.userId().equals(buyer.userId())) {
            throw new Forbidden("Only the buyer pays for this order");
        }
        try {
            if (order.paymentIntentId() != null) {
                return stripe.checkout(order.paymentIntentId());
            }
            TicketsReserved hold = directory.reservation(order);
            if (hold.totalCents() == 0) {
                throw new OrderNotPayable(orderId, "is free: it was confirmed without a payment");
            }
            if (!clock.instant().isBefore(hold.expiresAt())) {
                throw new OrderNotPayable(orderId, "is no longer held: its hold ended at " + hold.expiresAt());
            }
            return create(hold, buyer);
        } catch (StripeGateway.StripeUnavailable busy) {
            log.warn("Payment of order {} not set up yet: {}", orderId, busy.getMessage());
            throw new PaymentNotReady(orderId);
        }
    }

    /**
     * The hold ended while its intent was being made: the intent is cancelled so it cannot be paid.
     * Should Stripe not take that now, a payment of it is a late payment (honoured or refunded).
     */
    private void cancelUnrecorded(String paymentIntentId) {
        try {
            stripe.cancelAbandoned(paymentIntentId);
        } catch (StripeGateway.StripeUnavailable | StripeGateway.StripeRefused notNow) {
            log.warn("Payment intent {} of an ended hold left open: {}", paymentIntentId, notNow.getMessage());
        }
    }

    private StripeGateway.Checkout create(TicketsReserved hold, CurrentUser buyer) {
        StripeGateway.Checkout checkout;
        try {
            checkout = stripe.createPaymentIntent(hold.orderId(), hold.eventId(), hold.totalCents(), hold.currency());
        } catch (StripeGateway.StripeRefused refused) {
            String reason = "Stripe cannot take this payment (" + refused.stripeMessage() + ")";
            commands.send(hold.eventId(), new RecordPaymentRefusal(hold.eventId(), hold.orderId(), refused.code(),
                    reason), PaymentWebhooks.STRIPE);
            log.warn("Order {}: Stripe refused its payment for good: {}", hold.orderId(), refused.stripeMessage());
            throw new PaymentUnavailable(hold.orderId(), reason + ". Your tickets were released and nothing was "
                    + "charged.");
        }
        try {
            commands.send(hold.eventId(), new RecordPaymentIntent(hold.eventId(), hold.orderId(),
                    checkout.paymentIntentId()), buyer.userId());
        } catch (OrderNotPayable ended) {
            cancelUnrecorded(checkout.paymentIntentId());
            throw ended;
        }
        log.info("Order {} is paid through payment intent {} ({} {})", hold.orderId(), checkout.paymentIntentId(),
                hold.totalCents(), hold.currency().toUpperCase(Locale.ROOT));
        return checkout;
    }
}
