package dev.ticketing.command.payment;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code ticketing.stripe.*}: the keys (from the environment, never logged), the API base
 * (Stripe's, or the stand-in's) and the tolerance of webhook timestamps.
 */
@ConfigurationProperties("ticketing.stripe")
public record StripeSettings(String secretKey, String publishableKey, String webhookSecret, String apiBase,
                             Duration webhookTolerance, Duration maxProcessing) {

    public StripeSettings {
        apiBase = apiBase == null || apiBase.isBlank() ? "https://api.stripe.com" : apiBase;
        webhookTolerance = webhookTolerance == null ? Duration.ofMinutes(5) : webhookTolerance;
        maxProcessing = maxProcessing == null ? Duration.ofHours(1) : maxProcessing;
    }

    boolean configured() {
        return secretKey != null && !secretKey.isBlank();
    }

    @Override
    public String toString() {
        return "StripeSettings[apiBase=" + apiBase + ", keys hidden]";
    }
}
