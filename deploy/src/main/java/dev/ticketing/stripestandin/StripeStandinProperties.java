package dev.ticketing.stripestandin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.List;

/**
 * {@code ticketing.stripe.standin.*} ({@code enabled} switches the stand-in on).
 *
 * @param webhookUrl    where events are delivered; placeholders are resolved at each delivery, so the
 *                      default can name the app's own port, known only once it runs
 * @param webhookSecret the signing secret of {@code Stripe-Signature}, as a Stripe endpoint's {@code whsec_...}
 * @param enabledEvents the event types delivered, as a Stripe endpoint's {@code enabled_events} ({@code *}: all);
 *                      by default what the app handles, as its endpoint would be set up
 * @param rateLimit     Stripe's limits, on by default so that every test runs under them
 */
@ConfigurationProperties("ticketing.stripe.standin")
public record StripeStandinProperties(
        @DefaultValue("http://localhost:${local.server.port}/api/v1/stripe/webhook") String webhookUrl,
        @DefaultValue("whsec_standin") String webhookSecret,
        @DefaultValue({"payment_intent.processing", "payment_intent.succeeded", "payment_intent.payment_failed",
                "payment_intent.canceled", "charge.updated", "charge.refunded"}) List<String> enabledEvents,
        @DefaultValue RateLimit rateLimit) {

    /**
     * {@code rate-limit.*}: requests per second, 0 switching a limiter off. By default Stripe's test mode:
     * 25 a second for the account (live mode: 100) and 25 a second for each endpoint (docs.stripe.com/rate-limits).
     */
    public record RateLimit(@DefaultValue("25") int globalPerSecond, @DefaultValue("25") int perEndpointPerSecond) {
    }

    boolean delivers(String type) {
        return enabledEvents.contains("*") || enabledEvents.contains(type);
    }
}
