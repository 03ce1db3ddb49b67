package dev.ticketing.command.config;

import dev.ticketing.platform.security.AccessRules;
import dev.ticketing.platform.security.Roles;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.stereotype.Component;

/** Who may call the command side's endpoints; an endpoint not named here needs any valid token. */
@Component
class CommandAccessRules implements AccessRules {

    @Override
    public void apply(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry requests) {
        requests.requestMatchers(HttpMethod.GET, "/api/v1/payment-config").permitAll()
                // Stripe signs its webhooks instead of sending a token
                .requestMatchers(HttpMethod.POST, "/api/v1/stripe/webhook").permitAll()
                // organisers manage events; checked here so a buyer's request is refused before its body is read
                .requestMatchers(HttpMethod.POST, "/api/v1/events", "/api/v1/events/*/tiers").hasRole(Roles.ORGANIZER)
                .requestMatchers(HttpMethod.PATCH, "/api/v1/events/*/tiers/*").hasRole(Roles.ORGANIZER)
                .requestMatchers(HttpMethod.POST, "/api/v1/orders/*/refund").hasRole(Roles.ORGANIZER);
    }
}
