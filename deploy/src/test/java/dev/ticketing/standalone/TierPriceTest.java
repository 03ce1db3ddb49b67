package dev.ticketing.standalone;

import dev.ticketing.platform.testing.ApiClient;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Tier prices are free (0) or amounts Stripe can charge in the event's currency; anything else is refused and stores nothing. */
class TierPriceTest extends StandaloneOnPostgres {

    @Test
    void aPriceBelowStripesMinimumChargeIsRefusedWithTheLimit() {
        assertCreationRefused("usd", 49, "tiers.priceCents", "0.50 USD");
    }

    @Test
    void theMinimumChargeIsTheCurrencysOwn() {
        assertCreationRefused("gbp", 29, "tiers.priceCents", "0.30 GBP");
        assertThat(createEvent("gbp", 30).status()).isEqualTo(201);
    }

    @Test
    void aZeroDecimalCurrencysMinimumIsInWholeUnits() {
        assertCreationRefused("jpy", 49, "tiers.priceCents", "50 JPY");
        assertThat(createEvent("jpy", 50).status()).isEqualTo(201);
    }

    @Test
    void aPriceAboveTheMostStripeChargesAtOnceIsRefusedWithTheLimit() {
        assertCreationRefused("usd", 100_000_000, "tiers.priceCents", "999,999.99 USD");
        assertThat(createEvent("usd", 99_999_999).status()).isEqualTo(201);
    }

    @Test
    void aCurrencyStripeDoesNotChargeIsRefused() {
        assertCreationRefused("xyz", 2500, "currency", "XYZ");
    }

    @Test
    void aFreeTierIsAccepted() {
        assertThat(createEvent("usd", 0).status()).isEqualTo(201);
    }

    @Test
    void anAddedTierIsHeldToTheSameRules() {
        ApiClient.Response event = createEvent("usd", 2500);
        String tiers = "/api/v1/events/" + event.body().path("eventId").asText() + "/tiers";
        long before = storedEvents();
        assertRefused(api.post(tiers, ORGANIZER, Map.of("name", "Cheap", "priceCents", 10, "capacity", 5)),
                "priceCents", "0.50 USD", before);
        assertThat(api.post(tiers, ORGANIZER, Map.of("name", "Free", "priceCents", 0, "capacity", 5)).status())
                .isEqualTo(201);
    }

    private ApiClient.Response createEvent(String currency, long priceCents) {
        return api.post("/api/v1/events", ORGANIZER, Map.of("name", "Priced " + currency + " " + priceCents,
                "startsAt", "2027-06-01T18:00:00Z", "currency", currency,
                "tiers", List.of(Map.of("name", "General", "priceCents", priceCents, "capacity", 10))));
    }

    private void assertCreationRefused(String currency, long priceCents, String field, String limit) {
        long before = storedEvents();
        assertRefused(createEvent(currency, priceCents), field, limit, before);
    }

    private void assertRefused(ApiClient.Response response, String field, String limit, long eventsBefore) {
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.code()).isEqualTo("VALIDATION_FAILED");
        assertThat(response.body().path("errors").get(0).path("field").asText()).isEqualTo(field);
        assertThat(response.body().path("errors").get(0).path("message").asText()).contains(limit);
        assertThat(storedEvents()).as("nothing stored").isEqualTo(eventsBefore);
    }
}
