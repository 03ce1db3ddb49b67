package dev.ticketing.platform.security;

import dev.ticketing.platform.openapi.ApiTags;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;

/** Issues tokens for development and the standalone; absent (404) unless enabled. */
@RestController
@Tag(name = ApiTags.TOKENS)
@ConditionalOnProperty(name = "ticketing.security.dev-tokens.enabled", havingValue = "true")
public class DevTokenController {

    private static final Logger log = LoggerFactory.getLogger(DevTokenController.class);

    public record TokenRequest(
            @NotBlank @Size(max = 100) @Pattern(regexp = "[A-Za-z0-9._@-]+", message = "letters, digits and . _ @ - only") String sub,
            List<@Pattern(regexp = "ORGANIZER|AUDITOR|MEMBER", message = "must be ORGANIZER, AUDITOR or MEMBER") String> roles) {
    }

    public record TokenResponse(String token, Instant expiresAt) {
    }

    private final JwtEncoder encoder;
    private final TicketingSecurityProperties properties;

    public DevTokenController(JwtEncoder encoder, TicketingSecurityProperties properties) {
        this.encoder = encoder;
        this.properties = properties;
    }

    @Operation(operationId = "issueDevToken", summary = "Issue a dev token",
            description = "Signs a bearer token for the user `sub` with the given `roles` (none: a plain buyer), "
                    + "valid for `ticketing.security.dev-tokens.ttl`. Only where the dev token issuer is enabled "
                    + "(the standalone's default); elsewhere this path answers 404.")
    @ApiResponse(responseCode = "201", description = "The token and when it expires")
    @PostMapping("/api/v1/dev/tokens")
    @ResponseStatus(HttpStatus.CREATED)
    public TokenResponse issue(@Valid @RequestBody TokenRequest request) {
        Instant now = Instant.now();
        Instant expiresAt = now.plus(properties.devTokens().ttl());
        var claims = JwtClaimsSet.builder()
                .issuer("ticketing-dev")
                .subject(request.sub())
                .issuedAt(now)
                .expiresAt(expiresAt)
                .claim("roles", request.roles() == null ? List.of() : List.copyOf(request.roles()))
                .build();
        var header = JwsHeader.with(MacAlgorithm.HS256).build();
        log.info("Issued a dev token for user {} with roles {}", request.sub(), claims.getClaim("roles").toString());
        return new TokenResponse(encoder.encode(JwtEncoderParameters.from(header, claims)).getTokenValue(), expiresAt);
    }
}
