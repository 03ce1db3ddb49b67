package dev.ticketing.platform.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code ticketing.security.*}. {@code jwt.hmac-secret} validates HS256 tokens signed with a shared
 * secret (the dev issuer's, or a gateway's); without it the standard
 * {@code spring.security.oauth2.resourceserver.jwt.*} (issuer or JWK set URI) applies.
 */
@ConfigurationProperties("ticketing.security")
public record TicketingSecurityProperties(DevTokens devTokens, Jwt jwt) {

    public TicketingSecurityProperties {
        devTokens = devTokens == null ? new DevTokens(false, Duration.ofHours(12)) : devTokens;
        jwt = jwt == null ? new Jwt(null) : jwt;
    }

    public record DevTokens(boolean enabled, Duration ttl) {
        public DevTokens {
            ttl = ttl == null ? Duration.ofHours(12) : ttl;
        }
    }

    public record Jwt(String hmacSecret) {
    }
}
