package dev.ticketing.stripestandin;

import dev.ticketing.platform.problem.ProblemWriter;
import dev.ticketing.platform.security.SecurityConfig;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.SecurityFilterAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.DispatcherServletAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.ServletWebServerFactoryAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Import;

import java.util.Map;

/**
 * The Stripe stand-in on its own, for a cluster that has no Stripe to reach (the local cluster,
 * compose's {@code offline} profile, tests that need it to outlive the app, as Stripe does): only
 * the stand-in and the web and security machinery it runs in. Started from the standalone jar:
 * {@code java -cp ticketing-standalone.jar -Dloader.main=dev.ticketing.stripestandin.StripeStandinApplication
 * org.springframework.boot.loader.launch.PropertiesLauncher}, with {@code SERVER_PORT} and
 * {@code TICKETING_STRIPE_STANDIN_WEBHOOK_URL} / {@code _WEBHOOK_SECRET}. Not scanned by the
 * standalone (it imports what it needs instead of being a {@code @Configuration}).
 */
@ImportAutoConfiguration({PropertyPlaceholderAutoConfiguration.class, JacksonAutoConfiguration.class,
        ServletWebServerFactoryAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
        WebMvcAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class,
        SecurityAutoConfiguration.class, SecurityFilterAutoConfiguration.class})
@Import({StripeStandinConfig.class, SecurityConfig.class, ProblemWriter.class})
public class StripeStandinApplication {

    public static void main(String[] args) {
        application().run(args);
    }

    /** The application with the stand-in switched on; arguments win over the standalone's application.yml. */
    public static SpringApplication application() {
        var application = new SpringApplication(StripeStandinApplication.class);
        application.setDefaultProperties(Map.of(
                "spring.main.banner-mode", "off",
                "spring.application.name", "stripe-standin",
                "ticketing.stripe.standin.enabled", "true"));
        return application;
    }
}
