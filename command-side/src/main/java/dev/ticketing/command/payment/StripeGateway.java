package dev.ticketing.command.payment;

import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.ApiException;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.PermissionException;
import com.stripe.exception.RateLimitException;
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
import io.github.resilience4j.core.IntervalFunction;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The only place that talks to Stripe (through stripe-java, pinned to its API version). Every
 * call that creates or changes something carries an idempotency key chosen by the caller, so a
 * retried call never pays, cancels or refunds twice. Every call spends this node's budget
 * (StripeRateLimits); one Stripe answers 429 is retried with exponential backoff, as Stripe
 * advises. A failure is either {@link StripeUnavailable} (try again later) or {@link StripeRefused}
 * (Stripe will never do it); calls are counted by operation and outcome ({@code ticketing.stripe.calls}).
 */
@Component
public class StripeGateway {

    private static final Logger log = LoggerFactory.getLogger(StripeGateway.class);
    /** stripe-java's own retries: connection failures, 409s and 5xx, with its idempotency keys. */
    private static final int NETWORK_RETRIES = 2;
    private static final IntervalFunction BACKOFF =
            IntervalFunction.ofExponentialRandomBackoff(Duration.ofMillis(250), 2.0, 0.5, Duration.ofSeconds(4));

    /** A payment intent the buyer can pay: its client secret goes to the buyer only, never stored or logged. */
    public record Checkout(String paymentIntentId, String clientSecret) {
        @Override
        public String toString() {
            return "Checkout[" + paymentIntentId + "]";
        }
    }

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
    private final StripeRateLimits limits;
    private final MeterRegistry meters;
    private volatile StripeClient client;

    public StripeGateway(StripeSettings settings, Environment environment, StripeRateLimits limits,
                         MeterRegistry meters) {
        this.settings = settings;
        this.environment = environment;
        this.limits = limits;
        this.meters = meters;
    }

    /** One intent per order, ever: the idempotency key is the order's, so a retry or another node gets the same. */
    public Checkout createPaymentIntent(OrderId orderId, EventId eventId, long amountCents, String currency) {
        var params = PaymentIntentCreateParams.builder()
                .setAmount(amountCents)
                .setCurrency(currency)
                .putMetadata("orderId", orderId.toString())
                .putMetadata("eventId", eventId.toString())
                .setDescription("Tickets, order " + orderId)
                .build();
        PaymentIntent intent = call("payment_intents.create",
                () -> client().v1().paymentIntents().create(params, key("intent-" + orderId)));
        return new Checkout(intent.getId(), intent.getClientSecret());
    }

    public Intent retrieve(String paymentIntentId) {
        return view(call("payment_intents.retrieve", () -> client().v1().paymentIntents().retrieve(paymentIntentId)));
    }

    /** The intent, or empty when Stripe does not know it (a notification about someone else's). */
    public Optional<Intent> find(String paymentIntentId) {
        try {
            return Optional.of(retrieve(paymentIntentId));
        } catch (StripeRefused refused) {
            if (refused.status() == 404) {
                return Optional.empty();
            }
            throw refused;
        }
    }

    /** The buyer's way to pay an intent made earlier, fetched when the buyer needs it; never stored or logged. */
    public Checkout checkout(String paymentIntentId) {
        PaymentIntent intent = call("payment_intents.retrieve",
                () -> client().v1().paymentIntents().retrieve(paymentIntentId));
        return new Checkout(intent.getId(), intent.getClientSecret());
    }

    /** Cancels an abandoned intent; one Stripe can no longer cancel is answered with its current state. */
    public Intent cancelAbandoned(String paymentIntentId) {
        var params = PaymentIntentCancelParams.builder()
                .setCancellationReason(PaymentIntentCancelParams.CancellationReason.ABANDONED).build();
        try {
            return view(call("payment_intents.cancel", () -> client().v1().paymentIntents()
                    .cancel(paymentIntentId, params, key("cancel-" + paymentIntentId))));
        } catch (StripeRefused notCancellable) {
            return retrieve(paymentIntentId);
        }
    }

    /** Refunds an intent in full; {@code reason} makes the idempotency key (one refund per reason). */
    public void refundInFull(String paymentIntentId, String reason) {
        var params = RefundCreateParams.builder().setPaymentIntent(paymentIntentId).build();
        call("refunds.create",
                () -> client().v1().refunds().create(params, key("refund-" + reason + "-" + paymentIntentId)));
    }

    public Fee fee(String balanceTransactionId) {
        BalanceTransaction transaction = call("balance_transactions.retrieve",
                () -> client().v1().balanceTransactions().retrieve(balanceTransactionId));
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
                    .setMaxNetworkRetries(NETWORK_RETRIES)
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

    /** One call within the budget; a 429 is retried after a backoff, anything else is classified. */
    private <T> T call(String operation, StripeCall<T> call) {
        for (int attempt = 1; ; attempt++) {
            if (!limits.acquire(operation)) {
                count(operation, "no_budget", 0);
                throw new StripeUnavailable(operation + ": no room in the Stripe rate limit within "
                        + settings.rateLimit().maxWait().toMillis() + " ms");
            }
            long start = System.nanoTime();
            try {
                T result = call.run();
                count(operation, "ok", start);
                return result;
            } catch (RateLimitException limited) {
                count(operation, "rate_limited", start);
                if (attempt > settings.rateLimit().retries()) {
                    throw new StripeUnavailable(operation, limited);
                }
                long backoff = BACKOFF.apply(attempt);
                log.info("Stripe answered 429 to {}; attempt {} again in {} ms", operation, attempt + 1, backoff);
                pause(backoff);
            } catch (StripeException e) {
                boolean forGood = refusedForGood(e);
                count(operation, forGood ? "refused" : "failed", start);
                if (e instanceof AuthenticationException || e instanceof PermissionException) {
                    log.error("Stripe refused this service's key for {}: check STRIPE_SECRET_KEY", operation);
                }
                throw forGood ? new StripeRefused(operation, e) : new StripeUnavailable(operation, e);
            }
        }
    }

    /** A request Stripe refused as such (400, 402, 404: wrong for good); not 401/403 (a key an operator fixes). */
    private static boolean refusedForGood(StripeException e) {
        return !(e instanceof ApiConnectionException || e instanceof ApiException
                || e instanceof AuthenticationException || e instanceof PermissionException)
                && e.getStatusCode() != null && e.getStatusCode() >= 400 && e.getStatusCode() < 500
                && e.getStatusCode() != 409;   // a concurrent request with the same key: it settles
    }

    private void count(String operation, String outcome, long start) {
        Timer.builder("ticketing.stripe.calls").description("Calls to Stripe's API")
                .tag("operation", operation).tag("outcome", outcome)
                .register(meters).record(Duration.ofNanos(start == 0 ? 0 : System.nanoTime() - start));
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while backing off from Stripe", e);
        }
    }

    private static String messageOf(StripeException e) {
        return e.getStripeError() == null ? e.getMessage() : e.getStripeError().getMessage();
    }

    /** Stripe could not be reached, was busy or failed: the same call may succeed later. Never carries a key. */
    public static class StripeUnavailable extends RuntimeException {
        StripeUnavailable(String message) {
            super(message);
        }

        StripeUnavailable(String operation, StripeException cause) {
            super(operation + " failed: " + messageOf(cause), cause);
        }
    }

    /** Stripe refused the request for good (e.g. an amount it never charges): asking again gives the same. */
    public static class StripeRefused extends RuntimeException {
        private final int status;
        private final String code;
        private final String stripeMessage;

        StripeRefused(String operation, StripeException cause) {
            this(operation, cause.getStatusCode(), cause.getCode(), messageOf(cause), cause);
        }

        StripeRefused(String operation, int status, String code, String stripeMessage, Throwable cause) {
            super(operation + " refused: " + stripeMessage, cause);
            this.status = status;
            this.code = code;
            this.stripeMessage = stripeMessage;
        }

        public int status() {
            return status;
        }

        /** Stripe's error code, e.g. {@code amount_too_large}; may be null. */
        public String code() {
            return code;
        }

        /** Stripe's own sentence. */
        public String stripeMessage() {
            return stripeMessage;
        }
    }
}
