package dev.ticketing.command.payment;

import dev.ticketing.api.OrderId;
import dev.ticketing.api.payment.RequestRefund;
import dev.ticketing.api.rejection.OrderNotFound;
import dev.ticketing.command.inventory.InventoryCommands;
import dev.ticketing.command.reservation.OrderDirectory;
import dev.ticketing.platform.openapi.ApiTags;
import dev.ticketing.platform.security.CurrentUser;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;
import java.util.UUID;

/** Paying for an order (client secret, payment config), refunds, and Stripe's webhooks. */
@RestController
public class PaymentController {

    private static final Logger log = LoggerFactory.getLogger(PaymentController.class);

    @Schema(name = "PaymentStarted")
    public record Payment(String paymentIntentId, String clientSecret) {
    }

    public record PaymentConfig(String publishableKey, String stripeApiBase) {
    }

    private final OrderDirectory directory;
    private final PaymentService payments;
    private final StripeGateway stripe;
    private final PaymentWebhooks webhooks;
    private final InventoryCommands commands;
    private final StripeSettings settings;
    private final Environment environment;

    public PaymentController(OrderDirectory directory, PaymentService payments, StripeGateway stripe,
                             PaymentWebhooks webhooks, InventoryCommands commands, StripeSettings settings,
                             Environment environment) {
        this.directory = directory;
        this.payments = payments;
        this.stripe = stripe;
        this.webhooks = webhooks;
        this.commands = commands;
        this.settings = settings;
        this.environment = environment;
    }

    /**
     * The buyer starts to pay: the order's payment intent (made now, once per order) and its
     * client secret, which is fetched from Stripe and never stored.
     */
    @Operation(operationId = "startPayment", tags = ApiTags.PAYMENTS, summary = "Start paying for an order",
            description = "Makes the order's Stripe payment intent the first time (one per order: Stripe's idempotency "
                    + "key is the order's) and answers its client secret, fetched from Stripe, never stored. A "
                    + "reservation makes no Stripe call; a page asks for this when the buyer clicks Pay.")
    @ApiResponse(responseCode = "200", description = "The payment intent and its client secret")
    @ApiResponse(responseCode = "403", description = "FORBIDDEN: not the buyer's order")
    @ApiResponse(responseCode = "404", description = "ORDER_NOT_FOUND")
    @ApiResponse(responseCode = "409", description = "PAYMENT_NOT_READY: Stripe busy, ask again in a second; "
            + "PAYMENT_UNAVAILABLE: Stripe refused this payment for good, the hold is released; ORDER_NOT_PAYABLE: "
            + "the hold ended, or the order is free")
    @PostMapping("/api/v1/orders/{orderId}/payment")
    public Payment startPayment(@PathVariable UUID orderId, Authentication auth) {
        StripeGateway.Checkout checkout = payments.start(new OrderId(orderId), CurrentUser.of(auth));
        return new Payment(checkout.paymentIntentId(), checkout.clientSecret());
    }

    /** As it answered before payments started on demand: clients that poll it start the payment the same way. */
    @Operation(operationId = "getPayment", tags = ApiTags.PAYMENTS, deprecated = true,
            summary = "Start paying for an order (as POST)",
            description = "The same as the POST, kept for clients of the first version, which polled it until the "
                    + "payment intent existed: it now starts the payment.")
    @ApiResponse(responseCode = "200", description = "The payment intent and its client secret")
    @ApiResponse(responseCode = "403", description = "FORBIDDEN: not the buyer's order")
    @ApiResponse(responseCode = "404", description = "ORDER_NOT_FOUND")
    @ApiResponse(responseCode = "409", description = "PAYMENT_NOT_READY; PAYMENT_UNAVAILABLE; ORDER_NOT_PAYABLE, "
            + "as for the POST")
    @GetMapping("/api/v1/orders/{orderId}/payment")
    public Payment payment(@PathVariable UUID orderId, Authentication auth) {
        return startPayment(orderId, auth);
    }

    /** Organisers only (SecurityConfig); the order ends REFUNDED when Stripe reports the refund. */
    @Operation(operationId = "refundOrder", summary = "Refund a confirmed order", tags = ApiTags.ORDERS,
            description = "Asks Stripe to refund the payment in full; the order ends REFUNDED (its tickets void, "
                    + "the seats back on sale) when Stripe reports the refund, a free order at once.")
    @ApiResponse(responseCode = "202", description = "Accepted: `{\"orderId\", \"refund\": \"REQUESTED\"}`")
    @ApiResponse(responseCode = "404", description = "ORDER_NOT_FOUND")
    @ApiResponse(responseCode = "409", description = "ORDER_NOT_REFUNDABLE: the order is not confirmed")
    @PostMapping("/api/v1/orders/{orderId}/refund")
    public ResponseEntity<Map<String, Object>> refund(@PathVariable UUID orderId, Authentication auth) {
        OrderDirectory.Entry order = order(orderId);
        MDC.put("eventId", order.eventId().toString());
        String organiser = CurrentUser.of(auth).userId();
        commands.send(order.eventId(), new RequestRefund(order.eventId(), order.orderId(), organiser), organiser);
        log.info("Refund of order {} requested", orderId);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("orderId", orderId, "refund", "REQUESTED"));
    }

    @Operation(operationId = "getPaymentConfig", tags = ApiTags.PAYMENTS,
            summary = "What a web client needs to confirm a payment",
            description = "Stripe's publishable key and the base of Stripe's API the browser calls: Stripe's own, "
                    + "or the stand-in's.")
    @ApiResponse(responseCode = "200", description = "The publishable key and Stripe's API base")
    @GetMapping("/api/v1/payment-config")
    public PaymentConfig paymentConfig() {
        return new PaymentConfig(settings.publishableKey(), environment.resolvePlaceholders(settings.apiBase()));
    }

    /** The raw body is what Stripe signed: it is verified as received, before anything is parsed. */
    @Operation(operationId = "receiveStripeEvent", tags = ApiTags.PAYMENTS, summary = "Stripe's webhook",
            description = "Stripe's event, verified against `Stripe-Signature` with the webhook secret. Handled: "
                    + "payment_intent.processing, .succeeded, .payment_failed, .canceled, charge.updated (the fee), "
                    + "charge.refunded. Duplicates and any order of delivery are harmless; other types are ignored.")
    @ApiResponse(responseCode = "200", description = "Received: `{\"received\": what was done}`, also for a "
            + "duplicate or a type that is ignored")
    @ApiResponse(responseCode = "400", description = "INVALID_SIGNATURE: the Stripe-Signature does not verify the body")
    @ApiResponse(responseCode = "503", description = "STRIPE_UNAVAILABLE: Stripe, which must be read to handle "
            + "the event, is busy or out of reach; Stripe delivers it again")
    @PostMapping("/api/v1/stripe/webhook")
    public Map<String, String> webhook(@RequestBody String payload,
                                       @Parameter(description = "Stripe's signature of the body: t=...,v1=...")
                                       @RequestHeader(name = "Stripe-Signature", required = false) String signature) {
        StripeGateway.Notification notification = stripe.verify(payload, signature);
        try {
            return Map.of("received", webhooks.handle(notification));
        } catch (StripeGateway.StripeUnavailable busy) {
            log.warn("Stripe event {} ({}) left for Stripe's next delivery: {}", notification.id(), notification.type(),
                    busy.getMessage());
            throw new StripeBusy();
        }
    }

    private OrderDirectory.Entry order(UUID orderId) {
        MDC.put("orderId", orderId.toString());
        return directory.find(new OrderId(orderId)).orElseThrow(() -> new OrderNotFound(orderId.toString()));
    }
}
