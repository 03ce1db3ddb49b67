package dev.ticketing.stripestandin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.CrossOrigin;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.HandlerMapping;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import static dev.ticketing.stripestandin.StripeApiError.json;

/**
 * Stripe's own paths and form-encoded parameters under {@code /stripe-emulator}, so that
 * stripe-java pointed at {@code <app>/stripe-emulator} works as against Stripe; and the test
 * controls under {@code /stripe-emulator/test}, which need no key.
 */
@RestController
@ConditionalOnProperty(name = "ticketing.stripe.standin.enabled", havingValue = "true")
@RequestMapping("/stripe-emulator")
@CrossOrigin // Stripe's API answers browsers (Stripe.js) from any origin
public class StripeStandinController {

    private static final Pattern SECRET_KEY = Pattern.compile("Bearer sk_test_\\w+");
    private static final Pattern PUBLISHABLE_KEY = Pattern.compile("Bearer pk_test_\\w+");

    private final StripeStandin stripe;
    private final WebhookSender webhooks;
    private final RateLimits rateLimits;
    private final Map<String, IdempotentRequest> idempotentRequests = new ConcurrentHashMap<>();

    /** The first request made with an Idempotency-Key, and its answer once given. */
    private static final class IdempotentRequest {
        private final String request;
        private ResponseEntity<String> answer;

        private IdempotentRequest(String request) {
            this.request = request;
        }
    }

    public StripeStandinController(StripeStandin stripe, WebhookSender webhooks, RateLimits rateLimits) {
        this.stripe = stripe;
        this.webhooks = webhooks;
        this.rateLimits = rateLimits;
    }

    @Operation(operationId = "createPaymentIntent", summary = "Create a payment intent",
            description = "Stripe's `POST /v1/payment_intents`: `amount`, `currency`, `metadata[...]`; the amount "
                    + "and currency are checked as Stripe does (`amount_too_small`, `amount_too_large`, an "
                    + "unsupported currency). Honours `Idempotency-Key`.")
    @PostMapping("/v1/payment_intents")
    ResponseEntity<String> createPaymentIntent(HttpServletRequest request) {
        return serve(request, false, stripe::createPaymentIntent);
    }

    @Operation(operationId = "retrievePaymentIntent", summary = "Retrieve a payment intent",
            description = "Stripe's `GET /v1/payment_intents/{id}`, with `expand[]`; a browser may call it with the "
                    + "publishable key and the intent's `client_secret`.")
    @GetMapping("/v1/payment_intents/{id}")
    ResponseEntity<String> retrievePaymentIntent(@PathVariable String id, HttpServletRequest request) {
        return serve(request, true, params -> stripe.retrievePaymentIntent(id, params));
    }

    @Operation(operationId = "confirmPaymentIntent", summary = "Confirm a payment intent",
            description = "With `payment_method` pm_card_visa (succeeds), pm_card_chargeDeclined (fails: 402) or "
                    + "pm_card_processing (stays processing until settled); a browser may call it with the "
                    + "publishable key and the `client_secret`, as Stripe.js does.")
    @PostMapping("/v1/payment_intents/{id}/confirm")
    ResponseEntity<String> confirmPaymentIntent(@PathVariable String id, HttpServletRequest request) {
        return serve(request, true, params -> stripe.confirmPaymentIntent(id, params));
    }

    @Operation(operationId = "cancelPaymentIntent", summary = "Cancel a payment intent",
            description = "Stripe's `POST /v1/payment_intents/{id}/cancel`.")
    @PostMapping("/v1/payment_intents/{id}/cancel")
    ResponseEntity<String> cancelPaymentIntent(@PathVariable String id, HttpServletRequest request) {
        return serve(request, false, params -> stripe.cancelPaymentIntent(id, params));
    }

    @Operation(operationId = "createRefund", summary = "Refund a charge",
            description = "Stripe's `POST /v1/refunds` with `payment_intent`; refused (`charge_disputed`) once the "
                    + "charge is disputed.")
    @PostMapping("/v1/refunds")
    ResponseEntity<String> createRefund(HttpServletRequest request) {
        return serve(request, false, stripe::createRefund);
    }

    @Operation(operationId = "retrieveCharge", summary = "Retrieve a charge",
            description = "Stripe's `GET /v1/charges/{id}`.")
    @GetMapping("/v1/charges/{id}")
    ResponseEntity<String> retrieveCharge(@PathVariable String id, HttpServletRequest request) {
        return serve(request, false, params -> stripe.retrieve("charge", id, params));
    }

    @Operation(operationId = "retrieveBalanceTransaction", summary = "Retrieve a balance transaction",
            description = "Stripe's `GET /v1/balance_transactions/{id}`: the fee is 2.9% of the amount rounded half "
                    + "up, plus 30 minor units.")
    @GetMapping("/v1/balance_transactions/{id}")
    ResponseEntity<String> retrieveBalanceTransaction(@PathVariable String id, HttpServletRequest request) {
        return serve(request, false, params -> stripe.retrieve("balance_transaction", id, params));
    }

    @Operation(operationId = "listEvents", summary = "List events",
            description = "Stripe's `GET /v1/events`, newest first, with the `type` and `limit` filters.")
    @GetMapping("/v1/events")
    ResponseEntity<String> listEvents(HttpServletRequest request) {
        return serve(request, false, stripe::listEvents);
    }

    @Operation(operationId = "retrieveEvent", summary = "Retrieve an event",
            description = "Stripe's `GET /v1/events/{id}`.")
    @GetMapping("/v1/events/{id}")
    ResponseEntity<String> retrieveEvent(@PathVariable String id, HttpServletRequest request) {
        return serve(request, false, params -> stripe.retrieveEvent(id));
    }

    @Operation(operationId = "disputeCharge", summary = "Open a dispute on a charge",
            description = "A refund of the charge is then refused (`charge_disputed`).")
    @PostMapping("/test/charges/{id}/dispute")
    ResponseEntity<String> disputeCharge(@PathVariable String id) {
        return control(() -> stripe.disputeCharge(id));
    }

    @Operation(operationId = "settlePaymentIntent", summary = "Settle a processing payment intent",
            description = "Ends a pm_card_processing payment with `outcome` succeeded or failed, and sends its "
                    + "webhook.")
    @PostMapping("/test/payment_intents/{id}/settle")
    ResponseEntity<String> settlePaymentIntent(@PathVariable String id, @RequestParam(required = false) String outcome) {
        return control(() -> stripe.settlePaymentIntent(id, outcome));
    }

    @Operation(operationId = "holdWebhooks", summary = "Hold webhook deliveries",
            description = "Queues the deliveries instead of sending them, until released.")
    @PostMapping("/test/webhooks/hold")
    ResponseEntity<String> holdWebhooks() {
        webhooks.hold();
        return json(200, JsonNodeFactory.instance.objectNode().put("holding", true));
    }

    @Operation(operationId = "releaseWebhooks", summary = "Release held webhook deliveries",
            description = "Sends what was queued, in the order it was queued or, with `order=reverse`, newest first "
                    + "(later events then arrive before earlier ones), and sends at once again. Answers "
                    + "`{\"holding\": false, \"released\": n}`.")
    @PostMapping("/test/webhooks/release")
    ResponseEntity<String> releaseWebhooks(@RequestParam(required = false) String order) {
        return control(() -> {
            if (order != null && !order.equals("reverse")) {
                throw StripeApiError.invalidRequest("parameter_invalid_string",
                        "Invalid order: must be reverse, or left out to release in the order held", "order");
            }
            int released = webhooks.release(order != null);
            return JsonNodeFactory.instance.objectNode().put("holding", false).put("released", released);
        });
    }

    @Operation(operationId = "resendEvent", summary = "Deliver an event again",
            description = "Delivers a past event once more, as Stripe may.")
    @PostMapping("/test/events/{id}/resend")
    ResponseEntity<String> resendEvent(@PathVariable String id) {
        return control(() -> stripe.resendEvent(id));
    }

    /** Every API call since start, rate-limited ones included, by endpoint: for tests and the benchmark. */
    @Operation(operationId = "countRequests", summary = "Count the API calls received",
            description = "Every API call since start, rate-limited ones included, by endpoint: `{\"total\", "
                    + "\"rateLimited\", \"endpoints\": {\"POST /v1/payment_intents\": n, ...}}`.")
    @GetMapping("/test/requests")
    ResponseEntity<String> requests() {
        return json(200, rateLimits.counts());
    }

    /**
     * A Stripe API call: counted against the rate limits (refused before anything else, so a
     * rate-limited call changes nothing and leaves its Idempotency-Key unused, as at Stripe), the
     * key checked (a browser's publishable key only with a {@code client_secret}, where
     * {@code browserAllowed}), then, for a POST with an {@code Idempotency-Key}, the first answer
     * to that key replayed.
     */
    private ResponseEntity<String> serve(HttpServletRequest request, boolean browserAllowed,
                                         Function<FormParams, ObjectNode> call) {
        FormParams params = new FormParams(request.getParameterMap());
        Supplier<ResponseEntity<String>> answer = () -> control(() -> call.apply(params));
        try {
            if (!rateLimits.admit(endpoint(request))) {
                throw StripeApiError.rateLimited();
            }
            authenticate(request.getHeader(HttpHeaders.AUTHORIZATION), browserAllowed, params);
            String key = request.getHeader("Idempotency-Key");
            if (key == null || !"POST".equals(request.getMethod())) {
                return answer.get();
            }
            return idempotent(key, request.getRequestURI() + "?" + params.fingerprint(), answer);
        } catch (StripeApiError refusal) {
            return refusal.answer();
        }
    }

    /** The operation, as Stripe's limits and the request counts name it: {@code GET /v1/payment_intents/{id}}. */
    private static String endpoint(HttpServletRequest request) {
        String pattern = (String) request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        return request.getMethod() + " " + pattern.substring("/stripe-emulator".length());
    }

    private static ResponseEntity<String> control(Supplier<ObjectNode> call) {
        try {
            return json(200, call.get());
        } catch (StripeApiError refusal) {
            return refusal.answer();
        }
    }

    /** Concurrent requests with one key wait for the first; declines and refusals are replayed too, as Stripe does. */
    private ResponseEntity<String> idempotent(String key, String request, Supplier<ResponseEntity<String>> answer) {
        IdempotentRequest first = idempotentRequests.computeIfAbsent(key, k -> new IdempotentRequest(request));
        synchronized (first) {
            if (!first.request.equals(request)) {
                throw StripeApiError.idempotencyKeyReused(key);
            }
            if (first.answer == null) {
                first.answer = answer.get();
                return first.answer;
            }
            return ResponseEntity.status(first.answer.getStatusCode())
                    .headers(first.answer.getHeaders())
                    .header("Idempotent-Replayed", "true")
                    .body(first.answer.getBody());
        }
    }

    private static void authenticate(String authorization, boolean browserAllowed, FormParams params) {
        if (authorization != null && SECRET_KEY.matcher(authorization).matches()) {
            return;
        }
        // Stripe.js sends its publishable key as the form field key rather than as a header
        String key = authorization == null && params.get("key") != null ? "Bearer " + params.get("key") : authorization;
        boolean publishable = key != null && PUBLISHABLE_KEY.matcher(key).matches();
        if (publishable && browserAllowed && params.get("client_secret") != null) {
            return;
        }
        throw StripeApiError.unauthenticated(key == null
                ? "You did not provide an API key. Provide your API key in the Authorization header, "
                        + "using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY')."
                : publishable
                        ? "This API call cannot be made with a publishable API key. Please use a secret API key."
                        : "Invalid API Key provided.");
    }
}
