package dev.ticketing.stripestandin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code ticketing.stripe.standin.*} ({@code enabled} switches the stand-in on).
 *
 * @param webhookUrl    where events are delivered; placeholders are resolved at each delivery, so the
 *                      default can name the app's own port, known only once it runs
 * @param webhookSecret the signing secret of {@code Stripe-Signature}, as a Stripe endpoint's {@code whsec_...}
 */
@ConfigurationProperties("ticketing.stripe.standin")
public record StripeStandinProperties(
        @DefaultValue("http://localhost:${local.server.port}/api/v1/stripe/webhook") String webhookUrl,
        @DefaultValue("whsec_standin") String webhookSecret) {
}
