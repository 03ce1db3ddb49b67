package dev.ticketing.command.payment;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import dev.ticketing.api.EventId;
import dev.ticketing.api.OrderId;
import dev.ticketing.api.inventory.ConfirmOrder;
import dev.ticketing.api.inventory.ReservationCancelled;
import dev.ticketing.api.inventory.ReservationExpired;
import dev.ticketing.api.payment.LatePaymentRefused;
import dev.ticketing.api.payment.OrderRefunded;
import dev.ticketing.api.payment.PaymentIntentCreated;
import dev.ticketing.api.payment.RecordRefundRefusal;
import dev.ticketing.api.payment.RefundRequested;
import dev.ticketing.api.rejection.Rejection;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.modelling.saga.EndSaga;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.spring.stereotype.Saga;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The Stripe side of an order's payment once the buyer started to pay (a hold nobody pays for
 * never gets a saga, nor a Stripe call): cancels the intent when the hold ends unpaid (and
 * confirms instead when Stripe says it was paid after all), and refunds what must not be kept.
 * Stripe's answers about the buyer's payment arrive as webhooks (PaymentWebhooks), not here.
 * <p>
 * A Stripe call that fails for now is tried again for this order alone, later and later (a
 * deadline), so one order never holds up the others; one Stripe refuses for good is recorded on
 * the order for organisers and auditors, and the saga moves on.
 */
@Saga
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class PaymentSaga {

    private static final Logger log = LoggerFactory.getLogger(PaymentSaga.class);
    static final Map<String, String> BY_STRIPE = Map.of("userId", PaymentWebhooks.STRIPE);
    static final String RETRY = "stripe-retry";
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration LAST_RETRY = Duration.ofMinutes(5);

    /** What the saga still has to get done by Stripe. */
    enum Task { CLOSE_INTENT, REFUND_LATE_PAYMENT, REFUND_FOR_ORGANISER }

    @Autowired
    private transient StripeGateway stripe;
    @Autowired
    private transient CommandGateway commands;
    @Autowired
    private transient DeadlineManager deadlines;

    private EventId eventId;
    private OrderId orderId;
    private String paymentIntentId;
    /** When the hold ended: the time of a confirmation Stripe's answer to the cancellation calls for. */
    private Instant holdEndedAt;
    private Task pending;
    private int failedAttempts;

    @StartSaga
    @SagaEventHandler(associationProperty = "orderId")
    public void on(PaymentIntentCreated created) {
        eventId = created.eventId();
        orderId = created.orderId();
        paymentIntentId = created.paymentIntentId();
    }

    @SagaEventHandler(associationProperty = "orderId")
    public void on(ReservationExpired expired, @Timestamp Instant at) {
        holdEndedAt = at;
        attempt(Task.CLOSE_INTENT);
    }

    @SagaEventHandler(associationProperty = "orderId")
    public void on(ReservationCancelled cancelled, @Timestamp Instant at) {
        if (!PaymentWebhooks.STRIPE.equals(cancelled.cancelledBy())) {
            holdEndedAt = at;
            attempt(Task.CLOSE_INTENT);
        }
    }

    @SagaEventHandler(associationProperty = "orderId")
    public void on(LatePaymentRefused refused) {
        attempt(Task.REFUND_LATE_PAYMENT);
    }

    @SagaEventHandler(associationProperty = "orderId")
    public void on(RefundRequested requested) {
        log.info("Order {}: refund requested by {}", orderId, requested.requestedBy());
        attempt(Task.REFUND_FOR_ORGANISER);
    }

    @EndSaga
    @SagaEventHandler(associationProperty = "orderId")
    public void on(OrderRefunded refunded) {
        log.info("Order {} refunded; its payment is settled", orderId);
    }

    @DeadlineHandler(deadlineName = RETRY)
    public void retry() {
        if (pending != null) {
            attempt(pending);
        }
    }

    private void attempt(Task task) {
        try {
            switch (task) {
                case CLOSE_INTENT -> closeIntent();
                case REFUND_LATE_PAYMENT -> refund("late-payment");
                case REFUND_FOR_ORGANISER -> refund("organiser");
            }
            pending = null;
            failedAttempts = 0;
        } catch (StripeGateway.StripeUnavailable failure) {
            pending = task;
            failedAttempts++;
            Duration wait = retryAfter(failedAttempts);
            deadlines.schedule(wait, RETRY);
            log.warn("Order {}: {} failed ({}); trying again in {} s", orderId, task, failure.getMessage(),
                    wait.toSeconds());
        } catch (StripeGateway.StripeRefused refused) {
            pending = null;
            failedAttempts = 0;
            log.warn("Order {}: Stripe refused {} for good: {}", orderId, task, refused.stripeMessage());
            if (task != Task.CLOSE_INTENT) {
                send(new RecordRefundRefusal(eventId, orderId, refused.code(), refused.stripeMessage()));
            }
        }
    }

    /**
     * The hold ended unpaid: cancel the intent so it cannot be paid any more. Stripe refuses when
     * it was paid meanwhile; then the payment is honoured (or refunded) like any late payment.
     */
    private void closeIntent() {
        StripeGateway.Intent intent = stripe.cancelAbandoned(paymentIntentId);
        if (intent.succeeded()) {
            send(new ConfirmOrder(eventId, orderId, holdEndedAt));
        }
    }

    private void refund(String reason) {
        stripe.refundInFull(paymentIntentId, reason);
        log.info("Order {}: refund ({}) requested from Stripe", orderId, reason);
    }

    /** 1 s, 2 s, 4 s, ... up to 5 minutes between attempts. */
    static Duration retryAfter(int failedAttempts) {
        Duration wait = FIRST_RETRY.multipliedBy(1L << Math.min(failedAttempts - 1, 20));
        return wait.compareTo(LAST_RETRY) > 0 ? LAST_RETRY : wait;
    }

    /**
     * A refusal by the inventory is final and only logged; any other failure (the database out of
     * reach) propagates, and the event is handled again (CommandSideConfig).
     */
    private void send(Object command) {
        try {
            commands.sendAndWait(GenericCommandMessage.asCommandMessage(command).andMetaData(BY_STRIPE));
        } catch (Rejection refused) {
            log.warn("Order {}: {} refused with {}", orderId, command.getClass().getSimpleName(), refused.code());
        }
    }
}
