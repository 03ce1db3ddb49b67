package dev.ticketing.command.payment;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import dev.ticketing.api.EventId;
import dev.ticketing.api.OrderId;
import dev.ticketing.api.inventory.ConfirmOrder;
import dev.ticketing.api.inventory.ReservationCancelled;
import dev.ticketing.api.inventory.ReservationExpired;
import dev.ticketing.api.inventory.TicketsReserved;
import dev.ticketing.api.payment.LatePaymentRefused;
import dev.ticketing.api.payment.OrderRefunded;
import dev.ticketing.api.payment.PaymentIntentCreated;
import dev.ticketing.api.payment.RefundRequested;
import dev.ticketing.api.rejection.Rejection;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.modelling.saga.EndSaga;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.SagaLifecycle;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.spring.stereotype.Saga;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Instant;
import java.util.Map;

/**
 * Links an order to its Stripe payment intent and does the Stripe side of its lifecycle: creates
 * the intent for a new hold, cancels it when the hold ends unpaid (and confirms instead when
 * Stripe says it was paid after all), and refunds what must not be kept. Stripe's answers about
 * the buyer's payment arrive as webhooks (PaymentWebhooks), not here.
 */
@Saga
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class PaymentSaga {

    private static final Logger log = LoggerFactory.getLogger(PaymentSaga.class);
    static final Map<String, String> BY_STRIPE = Map.of("userId", "stripe");
    /** The stream an order's payment is recorded on (aggregate id: the order id). */
    public static final String ORDER_PAYMENT_STREAM = "OrderPayment";

    @Autowired
    private transient StripeGateway stripe;
    @Autowired
    private transient CommandGateway commands;
    @Autowired
    private transient EventBus events;

    private EventId eventId;
    private OrderId orderId;
    private String paymentIntentId;

    @StartSaga
    @SagaEventHandler(associationProperty = "orderId")
    public void on(TicketsReserved reserved) {
        eventId = reserved.eventId();
        orderId = reserved.orderId();
        paymentIntentId = stripe.createPaymentIntent(orderId, eventId, reserved.totalCents(), reserved.currency());
        SagaLifecycle.associateWith("paymentIntentId", paymentIntentId);
        // Recorded on the order's own stream, in the saga's transaction, not by a command to the
        // event's inventory: that took the inventory's lock (and a commit) per hold, and stalled the
        // on-sale behind the saga. Sequence 0: an order has one payment intent, the store's key says so.
        events.publish(new GenericDomainEventMessage<>(ORDER_PAYMENT_STREAM, orderId.toString(), 0,
                new PaymentIntentCreated(eventId, orderId, paymentIntentId), BY_STRIPE));
        log.info("Order {} is paid through payment intent {}", orderId, paymentIntentId);
    }

    @SagaEventHandler(associationProperty = "orderId")
    public void on(ReservationExpired expired, @Timestamp Instant at) {
        closeIntent(at);
    }

    @SagaEventHandler(associationProperty = "orderId")
    public void on(ReservationCancelled cancelled, @Timestamp Instant at) {
        if (!"stripe".equals(cancelled.cancelledBy())) {
            closeIntent(at);
        }
    }

    @SagaEventHandler(associationProperty = "orderId")
    public void on(LatePaymentRefused refused) {
        stripe.refundInFull(paymentIntentId, "late-payment");
        log.info("Order {} was paid after its seats were gone: refund requested from Stripe", orderId);
    }

    @SagaEventHandler(associationProperty = "orderId")
    public void on(RefundRequested requested) {
        stripe.refundInFull(paymentIntentId, "organiser");
        log.info("Order {}: refund requested from Stripe by {}", orderId, requested.requestedBy());
    }

    @EndSaga
    @SagaEventHandler(associationProperty = "orderId")
    public void on(OrderRefunded refunded) {
        log.info("Order {} refunded; its payment is settled", orderId);
    }

    /**
     * The hold ended unpaid: cancel the intent so it cannot be paid any more. Stripe refuses when
     * it was paid meanwhile; then the payment is honoured (or refunded) like any late payment.
     */
    private void closeIntent(Instant at) {
        if (paymentIntentId == null) {
            return;
        }
        StripeGateway.Intent intent = stripe.cancelAbandoned(paymentIntentId);
        if (intent.succeeded()) {
            send(new ConfirmOrder(eventId, orderId, at));
        }
    }

    /**
     * A refusal by the inventory is final and only logged; any other failure (Stripe or the
     * database out of reach) propagates, and the event is handled again (CommandSideConfig).
     */
    private void send(Object command) {
        try {
            commands.sendAndWait(GenericCommandMessage.asCommandMessage(command).andMetaData(BY_STRIPE));
        } catch (Rejection refused) {
            log.warn("Order {}: {} refused with {}", orderId, command.getClass().getSimpleName(), refused.code());
        }
    }
}
