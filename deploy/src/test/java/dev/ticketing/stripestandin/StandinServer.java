package dev.ticketing.stripestandin;

import org.springframework.context.ConfigurableApplicationContext;

import java.util.stream.Stream;

/** The Stripe stand-in ({@link StripeStandinApplication}) in the test's JVM, on a free port. */
public final class StandinServer {

    private StandinServer() {
    }

    /**
     * Starts it delivering every event to {@code webhookUrl} signed with {@code webhookSecret}
     * (the stand-in's own tests follow every event it sends, as an endpoint enabled for all),
     * with any further settings, such as {@code --ticketing.stripe.standin.rate-limit.global-per-second=100}.
     */
    public static ConfigurableApplicationContext start(String webhookUrl, String webhookSecret, String... settings) {
        return run(webhookUrl, webhookSecret, Stream.concat(Stream.of("--ticketing.stripe.standin.enabled-events=*"),
                Stream.of(settings)).toArray(String[]::new));
    }

    /** Starts it delivering only the events the app's endpoint is set up for, as Stripe would. */
    public static ConfigurableApplicationContext startForTheApp(String webhookUrl, String webhookSecret) {
        return run(webhookUrl, webhookSecret, "--spring.main.log-startup-info=false");
    }

    private static ConfigurableApplicationContext run(String webhookUrl, String webhookSecret, String... more) {
        // as arguments, to win over the standalone's application.yml on the classpath
        return StripeStandinApplication.application().run(Stream.concat(Stream.of(
                "--server.port=0",
                "--ticketing.security.dev-tokens.enabled=true",
                "--ticketing.stripe.standin.webhook-url=" + webhookUrl,
                "--ticketing.stripe.standin.webhook-secret=" + webhookSecret), Stream.of(more)).toArray(String[]::new));
    }

    public static int port(ConfigurableApplicationContext standin) {
        return Integer.parseInt(standin.getEnvironment().getProperty("local.server.port"));
    }
}
