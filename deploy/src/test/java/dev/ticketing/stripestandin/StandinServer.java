package dev.ticketing.stripestandin;

import dev.ticketing.platform.problem.ProblemWriter;
import dev.ticketing.platform.security.SecurityConfig;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.SecurityFilterAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.DispatcherServletAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.ServletWebServerFactoryAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * The Stripe stand-in on its own, as tests need it when it must outlive the app it serves (as
 * Stripe does): only the stand-in and the web and security machinery it runs in. Not a
 * {@code @Configuration}, so no application's component scan picks it up.
 */
public final class StandinServer {

    @ImportAutoConfiguration({PropertyPlaceholderAutoConfiguration.class, JacksonAutoConfiguration.class,
            ServletWebServerFactoryAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
            WebMvcAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class,
            SecurityAutoConfiguration.class, SecurityFilterAutoConfiguration.class})
    @Import({StripeStandinConfig.class, SecurityConfig.class, ProblemWriter.class})
    static class StandinApp {
    }

    private StandinServer() {
    }

    /**
     * Starts it on a free port, delivering every event to {@code webhookUrl} signed with
     * {@code webhookSecret} (the stand-in's own tests follow every event it sends, as an endpoint
     * enabled for all).
     */
    public static ConfigurableApplicationContext start(String webhookUrl, String webhookSecret) {
        return start(webhookUrl, webhookSecret, "--ticketing.stripe.standin.enabled-events=*");
    }

    /** Starts it delivering only the events the app's endpoint is set up for, as Stripe would. */
    public static ConfigurableApplicationContext startForTheApp(String webhookUrl, String webhookSecret) {
        return start(webhookUrl, webhookSecret, "--spring.main.log-startup-info=false");
    }

    private static ConfigurableApplicationContext start(String webhookUrl, String webhookSecret, String more) {
        // as arguments, to win over the standalone's application.yml on the classpath
        return new SpringApplicationBuilder(StandinApp.class).run(
                "--server.port=0",
                "--spring.main.banner-mode=off",
                "--ticketing.security.dev-tokens.enabled=true",
                "--ticketing.stripe.standin.enabled=true",
                "--ticketing.stripe.standin.webhook-url=" + webhookUrl,
                "--ticketing.stripe.standin.webhook-secret=" + webhookSecret,
                more);
    }

    public static int port(ConfigurableApplicationContext standin) {
        return Integer.parseInt(standin.getEnvironment().getProperty("local.server.port"));
    }
}
