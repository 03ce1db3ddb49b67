package dev.ticketing.stripestandin;

import org.springdoc.core.models.GroupedOpenApi;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/** The Stripe stand-in under {@code /stripe-emulator}, when {@code ticketing.stripe.standin.enabled=true}. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "ticketing.stripe.standin.enabled", havingValue = "true")
@EnableConfigurationProperties(StripeStandinProperties.class)
@Import(StripeStandinController.class)
public class StripeStandinConfig {

    /** Its own OpenAPI group, at /v3/api-docs/stripe-standin: it is no part of the service's contract. */
    @Bean
    GroupedOpenApi stripeStandinApi(@Value("${ticketing.version:}") String version) {
        return StripeStandinApiDocs.group(version);
    }

    @Bean
    WebhookSender stripeStandinWebhookSender(StripeStandinProperties properties, Environment environment) {
        return new WebhookSender(() -> environment.resolveRequiredPlaceholders(properties.webhookUrl()),
                properties.webhookSecret());
    }

    @Bean
    StripeStandin stripeStandin(WebhookSender stripeStandinWebhookSender, StripeStandinProperties properties) {
        return new StripeStandin(stripeStandinWebhookSender, properties::delivers);
    }

    @Bean
    RateLimits stripeStandinRateLimits(StripeStandinProperties properties) {
        return new RateLimits(properties.rateLimit().globalPerSecond(), properties.rateLimit().perEndpointPerSecond());
    }

    /** stripe-java sends list parameters unencoded in a GET's query ({@code expand[0]=...}), which Tomcat refuses unless told. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> stripeStandinQueryChars() {
        return factory -> factory.addConnectorCustomizers(connector -> connector.setProperty("relaxedQueryChars", "[]"));
    }

    /**
     * Ahead of the application's chain, whose resource server would read Stripe's
     * {@code Bearer sk_test_...} as a malformed JWT and answer 401: the stand-in checks its keys itself.
     */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    SecurityFilterChain stripeStandinSecurity(HttpSecurity http) throws Exception {
        return http.securityMatcher("/stripe-emulator/**")
                .csrf(csrf -> csrf.disable())
                .authorizeHttpRequests(auth -> auth.anyRequest().permitAll())
                .build();
    }
}
