package dev.ticketing.stripestandin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stripe's objects and rules, in memory. Each object is kept as the JSON Stripe would answer
 * with; a payment intent's charge, balance transaction and refunds change only while the
 * intent is locked, so each call is atomic per intent. Every change records an event, which
 * is handed to the webhook sender in the order the events were created.
 */
class StripeStandin {

    /**
     * {@code com.stripe.Stripe.API_VERSION} of stripe-java 33.0.0, which the service pins: stripe-java
     * reads an event's object only when the event carries its own version. Kept here because
     * the stand-in does not depend on stripe-java.
     */
    static final String API_VERSION = "2026-05-27.dahlia";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final Set<String> TEST_PAYMENT_METHODS = Set.of(
            "pm_card_visa", "pm_card_chargeDeclined", "pm_card_processing");
    private static final String REQUIRES_PAYMENT_METHOD = "requires_payment_method";
    private static final String PROCESSING = "processing";
    private static final String SUCCEEDED = "succeeded";
    private static final int MAX_LIST_LIMIT = 100;

    /** Every object by id; ids are unique across kinds thanks to their prefixes. */
    private final Map<String, ObjectNode> objects = new ConcurrentHashMap<>();
    /** Oldest first; the lock also keeps webhook hand-over in creation order. */
    private final List<ObjectNode> events = new ArrayList<>();
    private final WebhookSender webhooks;
    private final Predicate<String> delivered;

    /** @param delivered which event types go to the webhook endpoint (all are listed in {@code /v1/events}) */
    StripeStandin(WebhookSender webhooks, Predicate<String> delivered) {
        this.delivered = delivered;
        this.webhooks = webhooks;
    }

    ObjectNode createPaymentIntent(FormParams params) {
        Long amount = integer(params, "amount", 0);
        if (amount == null) {
            throw StripeApiError.missing("amount");
        }
        if (params.get("currency") == null) {
            throw StripeApiError.missing("currency");
        }
        String currency = params.get("currency").toLowerCase(Locale.ROOT);
        StripeCurrencies.requireChargeable(currency, amount);
        ObjectNode intent = newObject("payment_intent", "pi_");
        String id = intent.get("id").asText();
        intent.put("amount", amount)
                .put("amount_capturable", 0)
                .put("amount_received", 0)
                .putNull("canceled_at")
                .putNull("cancellation_reason")
                .put("capture_method", "automatic_async")
                .put("client_secret", id + "_secret_" + random(25))
                .put("confirmation_method", "automatic")
                .put("currency", currency)
                .put("description", params.get("description"))
                .putNull("last_payment_error")
                .putNull("latest_charge")
                .putNull("payment_method")
                .put("status", REQUIRES_PAYMENT_METHOD);
        ObjectNode metadata = intent.putObject("metadata");
        params.nested("metadata").forEach(metadata::put);
        intent.putArray("payment_method_types").add("card");
        synchronized (intent) {
            objects.put(id, intent);
            record("payment_intent.created", intent, null);
            return expanded(intent, params);
        }
    }

    ObjectNode retrievePaymentIntent(String id, FormParams params) {
        ObjectNode intent = intent(id, params);
        synchronized (intent) {
            return expanded(intent, params);
        }
    }

    ObjectNode confirmPaymentIntent(String id, FormParams params) {
        ObjectNode intent = intent(id, params);
        String paymentMethod = params.get("payment_method");
        if (paymentMethod == null) {
            throw StripeApiError.missing("payment_method");
        }
        if (!TEST_PAYMENT_METHODS.contains(paymentMethod)) {
            throw StripeApiError.notFound("PaymentMethod", paymentMethod, "payment_method");
        }
        synchronized (intent) {
            requireStatus(intent, "confirm", REQUIRES_PAYMENT_METHOD);
            intent.put("payment_method", paymentMethod);
            switch (paymentMethod) {
                case "pm_card_visa" -> succeed(intent);
                case "pm_card_processing" -> {
                    intent.put("status", PROCESSING);
                    record("payment_intent.processing", intent, null);
                }
                default -> {
                    decline(intent);
                    throw StripeApiError.declined(intent);
                }
            }
            return expanded(intent, params);
        }
    }

    /** Test control: a {@code processing} payment ends as Stripe would report it later. */
    ObjectNode settlePaymentIntent(String id, String outcome) {
        if (!SUCCEEDED.equals(outcome) && !"failed".equals(outcome)) {
            throw StripeApiError.invalidRequest("parameter_invalid_string",
                    "Invalid outcome: must be one of succeeded or failed", "outcome");
        }
        ObjectNode intent = intent(id, null);
        synchronized (intent) {
            requireStatus(intent, "settle", PROCESSING);
            if (SUCCEEDED.equals(outcome)) {
                succeed(intent);
            } else {
                decline(intent);
            }
            return intent.deepCopy();
        }
    }

    ObjectNode cancelPaymentIntent(String id, FormParams params) {
        ObjectNode intent = intent(id, null);
        synchronized (intent) {
            requireStatus(intent, "cancel", REQUIRES_PAYMENT_METHOD);
            intent.put("status", "canceled")
                    .put("canceled_at", Instant.now().getEpochSecond())
                    .put("cancellation_reason", params.get("cancellation_reason"));
            record("payment_intent.canceled", intent, null);
            return expanded(intent, params);
        }
    }

    /** Refunds what is left of the charge unless {@code amount} says less. */
    ObjectNode createRefund(FormParams params) {
        ObjectNode intent = refundedIntent(params);
        synchronized (intent) {
            if (!SUCCEEDED.equals(intent.get("status").asText())) {
                throw StripeApiError.invalidRequest("payment_intent_unexpected_state", "This PaymentIntent ("
                        + intent.get("id").asText() + ") does not have a successful charge to refund.", "payment_intent");
            }
            ObjectNode charge = objects.get(intent.get("latest_charge").asText());
            String chargeId = charge.get("id").asText();
            if (charge.get("disputed").asBoolean()) {
                throw StripeApiError.invalidRequest("charge_disputed",
                        "Charge " + chargeId + " has been charged back; cannot issue a refund.", null);
            }
            long refundable = charge.get("amount").asLong() - charge.get("amount_refunded").asLong();
            if (refundable == 0) {
                throw StripeApiError.invalidRequest("charge_already_refunded",
                        "Charge " + chargeId + " has already been refunded.", "charge");
            }
            Long requested = integer(params, "amount", 1);
            long amount = requested == null ? refundable : requested;
            if (amount > refundable) {
                throw StripeApiError.invalidRequest("amount_too_large", "Refund amount (" + amount
                        + ") is greater than unrefunded amount on charge (" + refundable + ")", "amount");
            }
            String currency = charge.get("currency").asText();
            ObjectNode refund = newObject("refund", "re_");
            String refundId = refund.get("id").asText();
            ObjectNode transaction = balanceTransaction("refund", refundId, -amount, currency, 0);
            refund.put("amount", amount)
                    .put("balance_transaction", transaction.get("id").asText())
                    .put("charge", chargeId)
                    .put("currency", currency)
                    .put("payment_intent", intent.get("id").asText())
                    .put("reason", params.get("reason"))
                    .put("status", SUCCEEDED);
            ObjectNode metadata = refund.putObject("metadata");
            params.nested("metadata").forEach(metadata::put);
            objects.put(refundId, refund);

            ObjectNode previous = JSON.objectNode()
                    .put("amount_refunded", charge.get("amount_refunded").asLong())
                    .put("refunded", charge.get("refunded").asBoolean());
            long refunded = charge.get("amount_refunded").asLong() + amount;
            charge.put("amount_refunded", refunded).put("refunded", refunded == charge.get("amount").asLong());
            record("charge.refunded", charge, previous);
            record("refund.created", refund, null);
            return expanded(refund, params);
        }
    }

    /**
     * Test control: the cardholder disputes the charge, as Stripe reports it at once
     * ({@code charge.dispute.created}); from then on it cannot be refunded. The funds Stripe
     * withdraws for a dispute (a balance transaction and its fee) are not modelled.
     */
    ObjectNode disputeCharge(String chargeId) {
        ObjectNode charge = find("charge", chargeId, "charge");
        synchronized (intentOf(charge)) {
            if (charge.get("disputed").asBoolean()) {
                throw StripeApiError.invalidRequest("charge_disputed", "Charge " + chargeId + " is already disputed.", "charge");
            }
            ObjectNode dispute = newObject("dispute", "dp_");
            dispute.put("amount", charge.get("amount").asLong() - charge.get("amount_refunded").asLong())
                    .put("charge", chargeId)
                    .put("currency", charge.get("currency").asText())
                    .put("is_charge_refundable", false)
                    .put("payment_intent", charge.get("payment_intent").asText())
                    .put("reason", "fraudulent")
                    .put("status", "needs_response");
            dispute.putArray("balance_transactions");
            dispute.putObject("evidence_details").put("due_by", dispute.get("created").asLong() + Duration.ofDays(7).toSeconds())
                    .put("has_evidence", false).put("past_due", false).put("submission_count", 0);
            dispute.putObject("metadata");
            objects.put(dispute.get("id").asText(), dispute);
            charge.put("disputed", true);
            record("charge.dispute.created", dispute, null);
            return dispute.deepCopy();
        }
    }

    /** A charge or balance transaction (their intent locked while they are read). */
    ObjectNode retrieve(String kind, String id, FormParams params) {
        ObjectNode object = find(kind, id, "id");
        synchronized (intentOf(object)) {
            return expanded(object, params);
        }
    }

    /** Events never change once recorded. */
    ObjectNode retrieveEvent(String id) {
        return find("event", id, "id");
    }

    /** Newest first; {@code type} may end in {@code .*} as Stripe allows. */
    ObjectNode listEvents(FormParams params) {
        String type = params.get("type");
        Long requestedLimit = integer(params, "limit", 1);
        int limit = requestedLimit == null ? 10 : (int) Math.min(requestedLimit, MAX_LIST_LIMIT);
        List<ObjectNode> matching = new ArrayList<>();
        synchronized (events) {
            for (int i = events.size() - 1; i >= 0; i--) {
                if (type == null || typeMatches(events.get(i).get("type").asText(), type)) {
                    matching.add(events.get(i));
                }
            }
        }
        ObjectNode list = JSON.objectNode().put("object", "list");
        ArrayNode data = list.putArray("data");
        matching.stream().limit(limit).forEach(data::add);
        return list.put("has_more", matching.size() > limit).put("url", "/v1/events");
    }

    /** Test control: the event is delivered once more, as when Stripe retries or duplicates. */
    ObjectNode resendEvent(String id) {
        ObjectNode event = find("event", id, "id");
        webhooks.send(id, event.toString());
        return event;
    }

    /** A charge paid in full at once, and its fee (known a moment later, as {@code charge.updated} tells). */
    private void succeed(ObjectNode intent) {
        long amount = intent.get("amount").asLong();
        String currency = intent.get("currency").asText();
        ObjectNode charge = newObject("charge", "ch_");
        String chargeId = charge.get("id").asText();
        charge.put("amount", amount)
                .put("amount_captured", amount)
                .put("amount_refunded", 0)
                .putNull("balance_transaction")
                .put("captured", true)
                .put("currency", currency)
                .put("description", intent.get("description").textValue())
                .put("disputed", false)
                .put("paid", true)
                .put("payment_intent", intent.get("id").asText())
                .put("payment_method", intent.get("payment_method").asText())
                .put("refunded", false)
                .put("status", SUCCEEDED)
                .set("metadata", intent.get("metadata").deepCopy());
        objects.put(chargeId, charge);
        intent.put("amount_received", amount)
                .put("latest_charge", chargeId)
                .put("status", SUCCEEDED)
                .putNull("last_payment_error");
        record("charge.succeeded", charge, null);
        record("payment_intent.succeeded", intent, null);

        ObjectNode transaction = balanceTransaction("charge", chargeId, amount, currency, fee(amount));
        charge.put("balance_transaction", transaction.get("id").asText());
        record("charge.updated", charge, JSON.objectNode().putNull("balance_transaction"));
    }

    /** Stripe's answer to a declined card: the intent waits for another payment method. */
    private void decline(ObjectNode intent) {
        intent.put("status", REQUIRES_PAYMENT_METHOD).putNull("payment_method");
        intent.putObject("last_payment_error")
                .put("type", "card_error")
                .put("code", "card_declined")
                .put("decline_code", "generic_decline")
                .put("doc_url", "https://stripe.com/docs/error-codes/card-declined")
                .put("message", "Your card was declined.")
                .put("payment_method_type", "card");
        record("payment_intent.payment_failed", intent, null);
    }

    /** 2.9% of the amount, rounded half up, plus 30 minor units. */
    static long fee(long amount) {
        return (amount * 29 + 500) / 1000 + 30;
    }

    private ObjectNode balanceTransaction(String type, String source, long amount, String currency, long fee) {
        ObjectNode transaction = newObject("balance_transaction", "txn_");
        transaction.put("amount", amount)
                .put("available_on", transaction.get("created").asLong() + Duration.ofDays(2).toSeconds())
                .put("currency", currency)
                .putNull("description")
                .putNull("exchange_rate")
                .put("fee", fee)
                .put("net", amount - fee)
                .put("reporting_category", type)
                .put("source", source)
                .put("status", "pending")
                .put("type", type);
        ArrayNode feeDetails = transaction.putArray("fee_details");
        if (fee != 0) {
            feeDetails.addObject().put("amount", fee).putNull("application").put("currency", currency)
                    .put("description", "Stripe processing fees").put("type", "stripe_fee");
        }
        objects.put(transaction.get("id").asText(), transaction);
        return transaction;
    }

    private void record(String type, ObjectNode object, ObjectNode previousAttributes) {
        ObjectNode event = newObject("event", "evt_");
        event.put("api_version", API_VERSION);
        ObjectNode data = event.putObject("data");
        data.set("object", object.deepCopy());
        if (previousAttributes != null) {
            data.set("previous_attributes", previousAttributes);
        }
        event.put("pending_webhooks", 1);
        event.putObject("request").putNull("id").putNull("idempotency_key");
        event.put("type", type);
        String id = event.get("id").asText();
        objects.put(id, event);
        synchronized (events) {
            events.add(event);
            if (delivered.test(type)) {
                webhooks.send(id, event.toString());
            }
        }
    }

    /** The intent; with a {@code client_secret} (a browser's call) it must be this intent's. */
    private ObjectNode intent(String id, FormParams params) {
        ObjectNode intent = find("payment_intent", id, "intent");
        String clientSecret = params == null ? null : params.get("client_secret");
        if (clientSecret != null && !clientSecret.equals(intent.get("client_secret").asText())) {
            throw StripeApiError.invalidRequest(null, "The client_secret provided does not match the "
                    + "client_secret associated with the PaymentIntent.", "client_secret");
        }
        return intent;
    }

    private ObjectNode refundedIntent(FormParams params) {
        String intentId = params.get("payment_intent");
        if (intentId != null) {
            return find("payment_intent", intentId, "payment_intent");
        }
        String chargeId = params.get("charge");
        if (chargeId == null) {
            throw StripeApiError.invalidRequest("parameter_missing",
                    "One of the following params should be provided for this request: payment_intent or charge.", null);
        }
        return intentOf(find("charge", chargeId, "charge"));
    }

    private ObjectNode intentOf(ObjectNode object) {
        return switch (object.get("object").asText()) {
            case "payment_intent" -> object;
            case "balance_transaction" -> intentOf(objects.get(object.get("source").asText()));
            default -> objects.get(object.get("payment_intent").asText());
        };
    }

    private ObjectNode find(String kind, String id, String param) {
        ObjectNode object = objects.get(id);
        if (object == null || !kind.equals(object.get("object").asText())) {
            throw StripeApiError.notFound(kind, id, param);
        }
        return object;
    }

    private static void requireStatus(ObjectNode intent, String action, String status) {
        if (!status.equals(intent.get("status").asText())) {
            throw StripeApiError.unexpectedState(intent, action);
        }
    }

    /** A copy in which each {@code expand} path, such as {@code latest_charge.balance_transaction}, holds the object instead of its id. */
    private ObjectNode expanded(ObjectNode object, FormParams params) {
        ObjectNode copy = object.deepCopy();
        for (String path : params.list("expand")) {
            expand(copy, path.split("\\."), 0);
        }
        return copy;
    }

    private void expand(ObjectNode node, String[] path, int depth) {
        JsonNode field = node.get(path[depth]);
        if (field != null && field.isTextual() && objects.containsKey(field.asText())) {
            field = objects.get(field.asText()).deepCopy();
            node.set(path[depth], field);
        }
        if (field instanceof ObjectNode child && depth + 1 < path.length) {
            expand(child, path, depth + 1);
        }
    }

    private static boolean typeMatches(String type, String filter) {
        return filter.endsWith(".*") ? type.startsWith(filter.substring(0, filter.length() - 1)) : type.equals(filter);
    }

    private static Long integer(FormParams params, String name, long min) {
        String value = params.get(name);
        if (value == null) {
            return null;
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed >= min) {
                return parsed;
            }
        } catch (NumberFormatException notANumber) {
            // refused below, as Stripe does
        }
        throw StripeApiError.invalidRequest("parameter_invalid_integer", "Invalid integer: " + value, name);
    }

    private static ObjectNode newObject(String kind, String idPrefix) {
        return JSON.objectNode()
                .put("id", idPrefix + random(24))
                .put("object", kind)
                .put("created", Instant.now().getEpochSecond())
                .put("livemode", false);
    }

    private static String random(int length) {
        StringBuilder chars = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            chars.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
        }
        return chars.toString();
    }
}
