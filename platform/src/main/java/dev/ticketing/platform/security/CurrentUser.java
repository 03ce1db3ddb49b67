package dev.ticketing.platform.security;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import java.util.Optional;

/** Who is calling, taken from the validated bearer token: {@code sub} and {@code roles}. */
public record CurrentUser(String userId, java.util.Set<String> roles) {

    public static CurrentUser of(Authentication authentication) {
        var roles = new java.util.HashSet<String>();
        for (GrantedAuthority authority : authentication.getAuthorities()) {
            String name = authority.getAuthority();
            if (name.startsWith("ROLE_")) {
                roles.add(name.substring("ROLE_".length()));
            }
        }
        return new CurrentUser(authentication.getName(), java.util.Set.copyOf(roles));
    }

    /** The caller of a public endpoint, if a valid token came with the request. */
    public static Optional<CurrentUser> ofOptional(Authentication authentication) {
        return authentication instanceof JwtAuthenticationToken ? Optional.of(of(authentication)) : Optional.empty();
    }

    public boolean has(String role) {
        return roles.contains(role);
    }
}
