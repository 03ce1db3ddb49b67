package dev.ticketing.rowlock;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.web.SecurityFilterChain;

import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;

/**
 * The fair reference of the on-sale benchmark (issue 14): the classic row-locking design of a
 * reservation, as a service on the same stack as the ticketing service (Spring Boot MVC, Jackson,
 * the same HS256 bearer-token check, Hikari, PostgreSQL), answering the same request with the same
 * JSON. The benchmark compares the service with this, so that what it compares is the design, not
 * an HTTP service with a database loop.
 * <p>
 * One transaction per reservation ({@link RowLockReservations}): the event row and the tier rows
 * {@code SELECT ... FOR UPDATE}, capacity checked (tiers and the event's {@code maxAttendees}),
 * counts updated, one row for the pending order. It does nothing else the service does (no expiry,
 * no payments, no read models, no free orders): it is the least a correct reservation costs.
 */
@SpringBootApplication
public class RowLockBaselineApplication {

    public static void main(String[] args) {
        SpringApplication.run(RowLockBaselineApplication.class, args);
    }

    /** As the service's SecurityConfig: bearer JWTs on the API, roles from the {@code roles} claim, the user is {@code sub}. */
    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http) throws Exception {
        http.csrf(csrf -> csrf.disable())
            .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
            .authorizeHttpRequests(auth -> auth
                .requestMatchers("/actuator/health/**", "/actuator/prometheus", "/error").permitAll()
                .requestMatchers(HttpMethod.POST, "/api/v1/events").hasRole("ORGANIZER")
                .requestMatchers("/api/**").authenticated()
                .anyRequest().denyAll())
            .oauth2ResourceServer(rs -> rs
                .jwt(jwt -> jwt.jwtAuthenticationConverter(jwtAuthenticationConverter()))
                .authenticationEntryPoint((request, response, e) -> problem(response, 401, "UNAUTHENTICATED"))
                .accessDeniedHandler((request, response, e) -> problem(response, 403, "FORBIDDEN")));
        return http.build();
    }

    private static JwtAuthenticationConverter jwtAuthenticationConverter() {
        var roles = new JwtGrantedAuthoritiesConverter();
        roles.setAuthoritiesClaimName("roles");
        roles.setAuthorityPrefix("ROLE_");
        var converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(roles);
        return converter;
    }

    /** The service's HS256 secret (the same property), so that the same tokens work on both. */
    @Bean
    JwtDecoder hmacJwtDecoder(@Value("${ticketing.security.jwt.hmac-secret}") String secret) {
        var key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        return NimbusJwtDecoder.withSecretKey(key).macAlgorithm(MacAlgorithm.HS256).build();
    }

    private static void problem(jakarta.servlet.http.HttpServletResponse response, int status, String code)
            throws java.io.IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getWriter().write("{\"status\":" + status + ",\"code\":\"" + code + "\"}");
    }
}
