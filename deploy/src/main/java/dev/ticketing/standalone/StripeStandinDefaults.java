package dev.ticketing.standalone;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.Map;

/**
 * The standalone's offline default: with no Stripe secret key configured, it serves the Stripe
 * stand-in itself (under /stripe-emulator) and points the real Stripe client at it, with the
 * stand-in's test keys and webhook secret. With STRIPE_SECRET_KEY set, nothing changes.
 */
public class StripeStandinDefaults implements EnvironmentPostProcessor {

    static final String SECRET_KEY = "sk_test_standin";
    static final String PUBLISHABLE_KEY = "pk_test_standin";
    static final String WEBHOOK_SECRET = "whsec_standin";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        boolean standalone = application.getAllSources().contains(StandaloneApplication.class);
        String secretKey = environment.getProperty("ticketing.stripe.secret-key", "");
        if (!standalone || !secretKey.isBlank()) {
            return;
        }
        environment.getPropertySources().addFirst(new MapPropertySource("stripe-standin", Map.of(
                "ticketing.stripe.secret-key", SECRET_KEY,
                "ticketing.stripe.publishable-key", PUBLISHABLE_KEY,
                "ticketing.stripe.webhook-secret", WEBHOOK_SECRET,
                "ticketing.stripe.api-base", "http://localhost:${local.server.port}/stripe-emulator",
                "ticketing.stripe.standin.enabled", "true",
                "ticketing.stripe.standin.webhook-secret", WEBHOOK_SECRET)));
    }
}
