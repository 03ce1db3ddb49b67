package dev.ticketing.command.config;

import dev.ticketing.platform.security.AccessRule;
import dev.ticketing.platform.security.AccessRules;
import dev.ticketing.platform.security.Roles;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;

import java.util.List;

/** Who may call the command side's endpoints; an endpoint not named here needs any valid token. */
@Component
class CommandAccessRules implements AccessRules {

    @Override
    public List<AccessRule> rules() {
        return List.of(
                AccessRule.on(HttpMethod.GET, "/api/v1/payment-config").anyone(),
                // Stripe signs its webhooks instead of sending a token
                AccessRule.on(HttpMethod.POST, "/api/v1/stripe/webhook").anyone(),
                // organisers manage events; checked here so a buyer's request is refused before its body is read
                AccessRule.on(HttpMethod.POST, "/api/v1/events", "/api/v1/events/*/tiers").roles(Roles.ORGANIZER),
                AccessRule.on(HttpMethod.PATCH, "/api/v1/events/*/tiers/*").roles(Roles.ORGANIZER),
                AccessRule.on(HttpMethod.POST, "/api/v1/orders/*/refund").roles(Roles.ORGANIZER));
    }
}
