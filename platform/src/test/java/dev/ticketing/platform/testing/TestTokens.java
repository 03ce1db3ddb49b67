package dev.ticketing.platform.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/** Bearer tokens signed locally with the HS256 secret the app under test is configured with. */
public final class TestTokens {

    public static final String SECRET = "test-secret-of-at-least-thirty-two-bytes!";

    private TestTokens() {
    }

    public static String token(String sub, String... roles) {
        return sign(SECRET, sub, Instant.now().plusSeconds(3600), roles);
    }

    public static String sign(String secret, String sub, Instant expiresAt, String... roles) {
        try {
            var claims = new JWTClaimsSet.Builder()
                    .subject(sub)
                    .issueTime(new Date())
                    .expirationTime(Date.from(expiresAt))
                    .claim("roles", List.of(roles))
                    .build();
            var jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
