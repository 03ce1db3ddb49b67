package dev.ticketing.platform.security;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;

/**
 * One side's rules for its own endpoints (a bean of that side). They are applied after the
 * platform's public paths and before its catch-alls: any other {@code /api/**} needs a valid token.
 * The first rule that matches a request decides it.
 */
@FunctionalInterface
public interface AccessRules {

    void apply(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry requests);
}
