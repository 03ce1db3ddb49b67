package dev.ticketing.command.payment;

import com.stripe.StripeClient;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.exception.StripeException;
import com.stripe.model.BalanceTransaction;
import com.stripe.model.Charge;
import com.stripe.model.Event;
import com.stripe.model.PaymentIntent;
import com.stripe.model.StripeObject;
import com.stripe.net.RequestOptions;
import com.stripe.net.Webhook;
import com.stripe.param.PaymentIntentCancelParams;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.RefundCreateParams;
import dev.ticketing.api.EventId;
import dev.ticketing.api.OrderId;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The only place that talks to Stripe (through stripe-java, pinned to its API version). Every
 * call that creates or changes something carries an idempotency key chosen by the caller, so a
 * retried call never pays, cancels or refunds twice.
 */
@Component
public class StripeGateway {

    /** A payment intent as the service needs it; the client secret is never part of it. */
    public record Intent(String id, String status, String latestChargeId, String lastErrorCode,
                         String lastErrorMessage, String orderId, String eventId) {
        public boolean succeeded() {
            return "succeeded".equals(status);
        }
    }

    /** A verified webhook: the payload's ids, to be re-read from Stripe where order matters. */
    public record Notification(String id, String type, Instant created, String paymentIntentId, String chargeId,
                               String balanceTransactionId, long amountRefunded, long amount) {
    }

    public record Fee(long feeCents, String currency) {
    }

    private final StripeSettings settings;
    private final Environment environment;
    private volatile StripeClient client;

    public StripeGateway(StripeSettings settings, Environment environment) {
        this.settings = settings;
        this.environment = environment;
    }

    public String createPaymentIntent(OrderId orderId, EventId eventId, long amountCents, String currency) {
        var params = PaymentIntentCreateParams.builder()
                .setAmount(amountCents)
                .setCurrency(currency)
                .putMetadata("orderId", orderId.toString())
                .putMetadata("eventId", eventId.toString())
                .setDescription("Tickets, order " + orderId)
                .build();
        return call(() -> client().v1().paymentIntents().create(params, key("intent-" + orderId))).getId();
    }

    public Intent retrieve(String paymentIntentId) {
        return view(call(() -> client().v1().paymentIntents().retrieve(paymentIntentId)));
    }

    /** The intent, or empty when Stripe does not know it (a notification about someone else's). */
    public Optional<Intent> find(String paymentIntentId) {
        try {
            return Optional.of(view(client().v1().paymentIntents().retrieve(paymentIntentId)));
        } catch (InvalidRequestException e) {
            if (Integer.valueOf(404).equals(e.getStatusCode())) {
                return Optional.empty();
            }
            throw new StripeUnavailable(e);
        } catch (StripeException e) {
            throw new StripeUnavailable(e);
        }
    }

    /** The client secret, fetched when the buyer needs it; never stored or logged. */
    public String clientSecret(String paymentIntentId) {
        return call(() -> client().v1().paymentIntents().retrieve(paymentIntentId)).getClientSecret();
    }

    /** Cancels an abandoned intent; one Stripe can no longer cancel is answered with its current state. */
    public Intent cancelAbandoned(String paymentIntentId) {
        var params = PaymentIntentCancelParams.builder()
                .setCancellationReason(PaymentIntentCancelParams.CancellationReason.ABANDONED).build();
        try {
            return view(client().v1().paymentIntents().cancel(paymentIntentId, params, key("cancel-" + paymentIntentId)));
        } catch (InvalidRequestException notCancellable) {
            return retrieve(paymentIntentId);
        } catch (StripeException e) {
            throw new StripeUnavailable(e);
        }
    }

    /** Refunds an intent in full; {@code reason} makes the idempotency key (one refund per reason). */
    public void refundInFull(String paymentIntentId, String reason) {
        var params = RefundCreateParams.builder().setPaymentIntent(paymentIntentId).build();
        call(() -> client().v1().refunds().create(params, key("refund-" + reason + "-" + paymentIntentId)));
    }

    public Fee fee(String balanceTransactionId) {
        BalanceTransaction transaction = call(() -> client().v1().balanceTransactions().retrieve(balanceTransactionId));
        return new Fee(transaction.getFee(), transaction.getCurrency());
    }

    /** Verifies the signature (and its timestamp's age) and reads the ids out of the payload. */
    public Notification verify(String payload, String signatureHeader) {
        Event event;
        try {
            event = Webhook.constructEvent(payload, signatureHeader == null ? "" : signatureHeader,
                    settings.webhookSecret(), settings.webhookTolerance().toSeconds());
        } catch (SignatureVerificationException | RuntimeException unverifiable) {
            throw new InvalidSignature(); // a body that is not an event cannot carry a valid signature either
        }
        Optional<StripeObject> object = event.getDataObjectDeserializer().getObject();
        String intentId = null;
        String chargeId = null;
        String balanceTransactionId = null;
        long refunded = 0;
        long amount = 0;
        if (object.isPresent() && object.get() instanceof PaymentIntent intent) {
            intentId = intent.getId();
        } else if (object.isPresent() && object.get() instanceof Charge charge) {
            intentId = charge.getPaymentIntent();
            chargeId = charge.getId();
            balanceTransactionId = charge.getBalanceTransaction();
            refunded = charge.getAmountRefunded() == null ? 0 : charge.getAmountRefunded();
            amount = charge.getAmount() == null ? 0 : charge.getAmount();
        }
        return new Notification(event.getId(), event.getType(), Instant.ofEpochSecond(event.getCreated()), intentId,
                chargeId, balanceTransactionId, refunded, amount);
    }

    private static Intent view(PaymentIntent intent) {
        Map<String, String> metadata = intent.getMetadata() == null ? Map.of() : intent.getMetadata();
        var error = intent.getLastPaymentError();
        return new Intent(intent.getId(), intent.getStatus(), intent.getLatestCharge(),
                error == null ? null : (error.getDeclineCode() != null ? error.getDeclineCode() : error.getCode()),
                error == null ? null : error.getMessage(), metadata.get("orderId"), metadata.get("eventId"));
    }

    private StripeClient client() {
        StripeClient current = client;
        if (current == null) {
            if (!settings.configured()) {
                throw new IllegalStateException("Stripe is not configured: set STRIPE_SECRET_KEY");
            }
            // resolved late: the stand-in's base names this server's own port, known only once it listens
            current = StripeClient.builder()
                    .setApiKey(settings.secretKey())
                    .setApiBase(environment.resolveRequiredPlaceholders(settings.apiBase()))
                    .build();
            client = current;
        }
        return current;
    }

    private static RequestOptions key(String idempotencyKey) {
        return RequestOptions.builder().setIdempotencyKey(idempotencyKey).build();
    }

    private interface StripeCall<T> {
        T run() throws StripeException;
    }

    private static <T> T call(StripeCall<T> call) {
        try {
            return call.run();
        } catch (StripeException e) {
            throw new StripeUnavailable(e);
        }
    }

    /** Stripe refused or could not be reached; the message carries Stripe's, never a key. */
    public static class StripeUnavailable extends RuntimeException {
        StripeUnavailable(StripeException cause) {
            super("Stripe call failed: " + (cause.getStripeError() == null ? cause.getMessage()
                    : cause.getStripeError().getMessage()), cause);
        }
    }
}
