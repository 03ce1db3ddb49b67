package dev.ticketing.query.config;

import dev.ticketing.platform.security.AccessRules;
import dev.ticketing.platform.security.Roles;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.stereotype.Component;

/** Who may read what of the query side; a read not named here needs any valid token. */
@Component
class QueryAccessRules implements AccessRules {

    @Override
    public void apply(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry requests) {
        requests.requestMatchers(HttpMethod.GET, "/api/v1/events", "/api/v1/events/*/availability",
                        "/api/v1/events/*/availability/stream").permitAll()
                .requestMatchers("/api/v1/ledger/**").hasAnyRole(Roles.ORGANIZER, Roles.AUDITOR)
                .requestMatchers("/api/v1/audit/**").hasRole(Roles.AUDITOR);
    }
}
