package dev.ticketing.platform.security;

import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.web.util.pattern.PathPatternParser;

import java.util.List;

/**
 * Who may call the requests that match: data, not a filter, so that the security filter enforces it
 * and the OpenAPI description shows it from the same rule. Built as
 * {@code AccessRule.on(HttpMethod.POST, "/api/v1/events").roles(Roles.ORGANIZER)}.
 *
 * @param method null: any method
 * @param roles  for {@link Level#ROLE}: any one of them
 */
public record AccessRule(HttpMethod method, List<String> patterns, Level level, List<String> roles) {

    public enum Level { PUBLIC, AUTHENTICATED, ROLE }

    public static Requests on(HttpMethod method, String... patterns) {
        return new Requests(method, List.of(patterns));
    }

    public static Requests on(String... patterns) {
        return new Requests(null, List.of(patterns));
    }

    public record Requests(HttpMethod method, List<String> patterns) {

        public AccessRule anyone() {
            return new AccessRule(method, patterns, Level.PUBLIC, List.of());
        }

        public AccessRule authenticated() {
            return new AccessRule(method, patterns, Level.AUTHENTICATED, List.of());
        }

        public AccessRule roles(String... roles) {
            return new AccessRule(method, patterns, Level.ROLE, List.of(roles));
        }
    }

    /** Also for a path template ({@code /api/v1/orders/{orderId}}): a variable is one segment. */
    public boolean matches(HttpMethod requestMethod, String path) {
        return (method == null || method.equals(requestMethod)) && patterns.stream()
                .anyMatch(p -> PathPatternParser.defaultInstance.parse(p).matches(PathContainer.parsePath(path)));
    }

    void applyTo(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry requests) {
        String[] paths = patterns.toArray(String[]::new);
        var matched = method == null ? requests.requestMatchers(paths) : requests.requestMatchers(method, paths);
        switch (level) {
            case PUBLIC -> matched.permitAll();
            case AUTHENTICATED -> matched.authenticated();
            case ROLE -> matched.hasAnyRole(roles.toArray(String[]::new));
        }
    }
}
