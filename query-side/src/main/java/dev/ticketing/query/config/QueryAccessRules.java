package dev.ticketing.query.config;

import dev.ticketing.platform.security.AccessRule;
import dev.ticketing.platform.security.AccessRules;
import dev.ticketing.platform.security.Roles;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;

import java.util.List;

/** Who may read what of the query side; a read not named here needs any valid token. */
@Component
class QueryAccessRules implements AccessRules {

    @Override
    public List<AccessRule> rules() {
        return List.of(
                AccessRule.on(HttpMethod.GET, "/api/v1/events", "/api/v1/events/*/availability",
                        "/api/v1/events/*/availability/stream").anyone(),
                AccessRule.on("/api/v1/ledger/**").roles(Roles.ORGANIZER, Roles.AUDITOR),
                AccessRule.on("/api/v1/audit/**").roles(Roles.AUDITOR));
    }
}
