package dev.ticketing.platform.openapi;

import io.swagger.v3.oas.models.tags.Tag;

import java.util.List;

/** The tags of the service's operations, named on the controllers and described here once, in docs/API.md's order. */
public final class ApiTags {

    public static final String TOKENS = "Dev tokens";
    public static final String EVENTS = "Events";
    public static final String ORDERS = "Orders";
    public static final String PAYMENTS = "Payments";
    public static final String AVAILABILITY = "Availability";
    public static final String LEDGER = "Ledger";
    public static final String AUDIT = "Audit";
    public static final String OPERATIONS = "Operations";

    private ApiTags() {
    }

    static List<Tag> all() {
        return List.of(
                tag(TOKENS, "Bearer tokens issued by the service itself, for development and the standalone; "
                        + "present only where the dev token issuer is enabled"),
                tag(EVENTS, "Organisers put events on sale in ticket tiers and change a tier's capacity"),
                tag(ORDERS, "Buyers reserve tickets across tiers in one order, read, cancel and get their tickets; "
                        + "organisers refund"),
                tag(PAYMENTS, "Paying for an order through Stripe: the buyer's payment intent, what a web client "
                        + "needs to confirm it, and Stripe's webhook"),
                tag(AVAILABILITY, "Public reads of what is on sale and how much is left, once or as a stream"),
                tag(LEDGER, "The double-entry ledger of money taken, refunded and paid in fees"),
                tag(AUDIT, "The event store as stored, rebuilding read models, and the projections' dead letters"),
                tag(OPERATIONS, "Health probes and metrics"));
    }

    private static Tag tag(String name, String description) {
        return new Tag().name(name).description(description);
    }
}
