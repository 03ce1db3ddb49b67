package dev.ticketing.stripestandin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * A refusal as Stripe words it, {@code {"error": {...}}}, absent fields left out and each code with its
 * {@code doc_url}: stripe-java chooses its exception from the status and the type (400/404 →
 * InvalidRequestException or IdempotencyException, 401 → AuthenticationException, 402 → CardException,
 * 429 → RateLimitException).
 */
final class StripeApiError extends RuntimeException {

    private final int status;
    private final ObjectNode error;

    private StripeApiError(int status, String type, String code, String message, String param) {
        super(message);
        this.status = status;
        this.error = JsonNodeFactory.instance.objectNode().put("type", type);
        if (code != null) {
            error.put("code", code).put("doc_url", "https://stripe.com/docs/error-codes/" + code.replace('_', '-'));
        }
        error.put("message", message);
        if (param != null) {
            error.put("param", param);
        }
    }

    static StripeApiError invalidRequest(String code, String message, String param) {
        return new StripeApiError(400, "invalid_request_error", code, message, param);
    }

    static StripeApiError missing(String param) {
        return invalidRequest("parameter_missing", "Missing required param: " + param + ".", param);
    }

    static StripeApiError notFound(String kind, String id, String param) {
        return new StripeApiError(404, "invalid_request_error", "resource_missing",
                "No such " + kind + ": '" + id + "'", param);
    }

    /** Stripe names the intent's status and attaches the intent. */
    static StripeApiError unexpectedState(ObjectNode intent, String action) {
        StripeApiError refusal = invalidRequest("payment_intent_unexpected_state", "You cannot " + action
                + " this PaymentIntent because it has a status of " + intent.get("status").asText() + ".", null);
        refusal.error.set("payment_intent", intent.deepCopy());
        return refusal;
    }

    /** The intent's {@code last_payment_error}, with the intent as it is after the decline. */
    static StripeApiError declined(ObjectNode intent) {
        JsonNode lastError = intent.get("last_payment_error");
        StripeApiError refusal = new StripeApiError(402, "card_error", lastError.get("code").asText(),
                lastError.get("message").asText(), null);
        refusal.error.put("decline_code", lastError.get("decline_code").asText());
        refusal.error.set("payment_intent", intent.deepCopy());
        return refusal;
    }

    static StripeApiError idempotencyKeyReused(String key) {
        return new StripeApiError(400, "idempotency_error", null, "Keys for idempotent requests can only be used "
                + "with the same parameters they were first used with. Try using a key other than '" + key
                + "' if you meant to execute a different request.", null);
    }

    /** Stripe's own wording and type; a rate limit is not a 4xx of the request itself, so it carries no param. */
    static StripeApiError rateLimited() {
        return new StripeApiError(429, "invalid_request_error", "rate_limit", "Request rate limit exceeded. "
                + "You can learn more about rate limits here https://stripe.com/docs/rate-limits.", null);
    }

    static StripeApiError unauthenticated(String message) {
        return new StripeApiError(401, "authentication_error", null, message, null);
    }

    ResponseEntity<String> answer() {
        return json(status, JsonNodeFactory.instance.objectNode().set("error", error));
    }

    static ResponseEntity<String> json(int status, JsonNode body) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body.toString());
    }
}
