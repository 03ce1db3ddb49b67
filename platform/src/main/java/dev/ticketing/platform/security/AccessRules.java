package dev.ticketing.platform.security;

import java.util.List;

/**
 * One side's rules for its own endpoints (a bean of that side). They come after the platform's
 * public paths and before its catch-all: any other {@code /api/**} needs a valid token
 * ({@link ApiAccess}). The first rule that matches a request decides it.
 */
@FunctionalInterface
public interface AccessRules {

    List<AccessRule> rules();
}
