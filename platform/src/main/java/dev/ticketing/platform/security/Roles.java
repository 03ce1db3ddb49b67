package dev.ticketing.platform.security;

/** The roles of the token's {@code roles} claim; a token without any is a plain buyer. */
public final class Roles {
    public static final String ORGANIZER = "ORGANIZER";
    public static final String AUDITOR = "AUDITOR";
    public static final String MEMBER = "MEMBER";

    private Roles() {
    }
}
