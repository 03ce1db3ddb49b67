package dev.ticketing.command.payment;

import dev.ticketing.api.OrderId;
import dev.ticketing.api.payment.RequestRefund;
import dev.ticketing.api.rejection.OrderNotFound;
import dev.ticketing.command.inventory.InventoryCommands;
import dev.ticketing.command.reservation.OrderDirectory;
import dev.ticketing.platform.security.CurrentUser;
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
    @PostMapping("/api/v1/orders/{orderId}/payment")
    public Payment startPayment(@PathVariable UUID orderId, Authentication auth) {
        StripeGateway.Checkout checkout = payments.start(new OrderId(orderId), CurrentUser.of(auth));
        return new Payment(checkout.paymentIntentId(), checkout.clientSecret());
    }

    /** As it answered before payments started on demand: clients that poll it start the payment the same way. */
    @GetMapping("/api/v1/orders/{orderId}/payment")
    public Payment payment(@PathVariable UUID orderId, Authentication auth) {
        return startPayment(orderId, auth);
    }

    /** Organisers only (SecurityConfig); the order ends REFUNDED when Stripe reports the refund. */
    @PostMapping("/api/v1/orders/{orderId}/refund")
    public ResponseEntity<Map<String, Object>> refund(@PathVariable UUID orderId, Authentication auth) {
        OrderDirectory.Entry order = order(orderId);
        MDC.put("eventId", order.eventId().toString());
        String organiser = CurrentUser.of(auth).userId();
        commands.send(order.eventId(), new RequestRefund(order.eventId(), order.orderId(), organiser), organiser);
        log.info("Refund of order {} requested", orderId);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("orderId", orderId, "refund", "REQUESTED"));
    }

    @GetMapping("/api/v1/payment-config")
    public PaymentConfig paymentConfig() {
        return new PaymentConfig(settings.publishableKey(), environment.resolvePlaceholders(settings.apiBase()));
    }

    /** The raw body is what Stripe signed: it is verified as received, before anything is parsed. */
    @PostMapping("/api/v1/stripe/webhook")
    public Map<String, String> webhook(@RequestBody String payload,
                                       @RequestHeader(name = "Stripe-Signature", required = false) String signature) {
        return Map.of("received", webhooks.handle(stripe.verify(payload, signature)));
    }

    private OrderDirectory.Entry order(UUID orderId) {
        MDC.put("orderId", orderId.toString());
        return directory.find(new OrderId(orderId)).orElseThrow(() -> new OrderNotFound(orderId.toString()));
    }
}
