package dev.ticketing.platform.security;

import org.springframework.http.HttpMethod;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Who may call which path of the API, in the order the security filter decides it: the platform's
 * own public endpoint, each side's {@link AccessRules}, then any other {@code /api/**} needs a
 * token. {@link SecurityConfig} enforces it and the OpenAPI description shows it, so they agree.
 */
public final class ApiAccess {

    private final List<AccessRule> rules = new ArrayList<>();

    public ApiAccess(List<AccessRules> sides) {
        rules.add(AccessRule.on(HttpMethod.POST, "/api/v1/dev/tokens").anyone());
        sides.forEach(side -> rules.addAll(side.rules()));
        rules.add(AccessRule.on("/api/**").authenticated());
    }

    public List<AccessRule> rules() {
        return List.copyOf(rules);
    }

    /** The rule for a request, or empty outside the API (those paths are public). */
    public Optional<AccessRule> of(HttpMethod method, String path) {
        return rules.stream().filter(rule -> rule.matches(method, path)).findFirst();
    }
}
