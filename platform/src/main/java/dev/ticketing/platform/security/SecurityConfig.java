package dev.ticketing.platform.security;

import com.nimbusds.jose.jwk.source.ImmutableSecret;
import dev.ticketing.platform.problem.ProblemWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.web.SecurityFilterChain;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * Bearer JWTs on every endpoint but the public ones: health, OpenAPI, the dev token issuer and
 * those each side's {@link AccessRules} open, as {@link ApiAccess} orders them. Roles come from the
 * {@code roles} claim. Refusals are problem+json with {@code UNAUTHENTICATED} / {@code FORBIDDEN}.
 */
@Configuration
@EnableConfigurationProperties(TicketingSecurityProperties.class)
public class SecurityConfig {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfig.class);

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, ProblemWriter problems,
                                    JwtAuthenticationConverter jwtAuthenticationConverter,
                                    ApiAccess apiAccess) throws Exception {
        http.csrf(csrf -> csrf.disable())
            .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
            .authorizeHttpRequests(auth -> {
                auth.requestMatchers("/actuator/health/**", "/actuator/prometheus", "/v3/api-docs/**",
                        "/swagger-ui/**", "/swagger-ui.html", "/error").permitAll();
                apiAccess.rules().forEach(rule -> rule.applyTo(auth));
                auth.anyRequest().permitAll();
            })
            .oauth2ResourceServer(rs -> rs
                .jwt(jwt -> jwt.jwtAuthenticationConverter(jwtAuthenticationConverter))
                .authenticationEntryPoint((request, response, e) -> problems.write(response, 401, "UNAUTHENTICATED",
                        "A valid bearer token is required"))
                .accessDeniedHandler((request, response, e) -> problems.write(response, 403, "FORBIDDEN",
                        "Your role does not allow this")))
            .exceptionHandling(ex -> ex
                .authenticationEntryPoint((request, response, e) -> problems.write(response, 401, "UNAUTHENTICATED",
                        "A valid bearer token is required"))
                .accessDeniedHandler((request, response, e) -> problems.write(response, 403, "FORBIDDEN",
                        "Your role does not allow this")));
        return http.build();
    }

    @Bean
    ApiAccess apiAccess(ObjectProvider<AccessRules> sidesRules) {
        return new ApiAccess(sidesRules.orderedStream().toList());
    }

    @Bean
    JwtAuthenticationConverter jwtAuthenticationConverter() {
        var roles = new JwtGrantedAuthoritiesConverter();
        roles.setAuthoritiesClaimName("roles");
        roles.setAuthorityPrefix("ROLE_");
        var converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(roles);
        return converter;
    }

    /**
     * The HS256 key shared by the dev issuer and the decoder. Configured, or (dev tokens only)
     * made up at start, in which case tokens do not outlive the process.
     */
    @Bean
    @ConditionalOnExpression("'${ticketing.security.jwt.hmac-secret:}' != '' or '${ticketing.security.dev-tokens.enabled:false}' == 'true'")
    SecretKey jwtHmacKey(@Value("${ticketing.security.jwt.hmac-secret:}") String secret) {
        byte[] bytes;
        if (secret.isBlank()) {
            bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            log.warn("No ticketing.security.jwt.hmac-secret set: dev tokens are signed with a key made up at start "
                    + "and stop working when the process restarts");
        } else {
            bytes = secret.getBytes(StandardCharsets.UTF_8);
            if (bytes.length < 32) {
                throw new IllegalStateException("ticketing.security.jwt.hmac-secret must be at least 32 bytes");
            }
        }
        return new SecretKeySpec(bytes, "HmacSHA256");
    }

    @Bean
    @ConditionalOnExpression("'${ticketing.security.jwt.hmac-secret:}' != '' or '${ticketing.security.dev-tokens.enabled:false}' == 'true'")
    JwtDecoder hmacJwtDecoder(SecretKey jwtHmacKey) {
        return NimbusJwtDecoder.withSecretKey(jwtHmacKey).macAlgorithm(MacAlgorithm.HS256).build();
    }

    @Bean
    @ConditionalOnExpression("'${ticketing.security.dev-tokens.enabled:false}' == 'true'")
    JwtEncoder devJwtEncoder(SecretKey jwtHmacKey) {
        return new NimbusJwtEncoder(new ImmutableSecret<>(jwtHmacKey));
    }
}
