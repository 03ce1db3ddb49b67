package dev.ticketing.command.inventory;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChargeableAmountsTest {

    @Test
    void amountAtTheCurrencysMinimumIsChargeable() {
        assertThat(ChargeableAmounts.refusal("usd", 50)).isEmpty();
        assertThat(ChargeableAmounts.refusal("gbp", 30)).isEmpty();
    }

    @Test
    void amountUnderTheMinimumIsRefusedWithTheMinimum() {
        assertThat(ChargeableAmounts.refusal("usd", 49))
                .hasValue("must be at least 0.50 USD, the smallest amount Stripe charges in USD");
        assertThat(ChargeableAmounts.refusal("czk", 1499))
                .hasValue("must be at least 15.00 CZK, the smallest amount Stripe charges in CZK");
    }

    @Test
    void zeroIsNotChargeable() {
        assertThat(ChargeableAmounts.refusal("eur", 0))
                .hasValue("must be at least 0.50 EUR, the smallest amount Stripe charges in EUR");
    }

    @Test
    void zeroDecimalCurrencyIsPrintedInWholeUnits() {
        assertThat(ChargeableAmounts.refusal("jpy", 50)).isEmpty();
        assertThat(ChargeableAmounts.refusal("jpy", 49))
                .hasValue("must be at least 50 JPY, the smallest amount Stripe charges in JPY");
    }

    @Test
    void currencyOutsideStripesTableNeedsFiftyMinorUnits() {
        assertThat(ChargeableAmounts.refusal("krw", 50)).isEmpty();
        assertThat(ChargeableAmounts.refusal("krw", 49))
                .hasValue("must be at least 50 KRW, the smallest amount Stripe charges in KRW");
    }

    @Test
    void amountOfMoreThanEightDigitsIsRefusedWithTheMaximum() {
        assertThat(ChargeableAmounts.refusal("usd", 99_999_999)).isEmpty();
        assertThat(ChargeableAmounts.refusal("usd", 100_000_000))
                .hasValue("must be at most 999,999.99 USD, the most Stripe charges in one payment");
        assertThat(ChargeableAmounts.refusal("jpy", 100_000_000))
                .hasValue("must be at most 99,999,999 JPY, the most Stripe charges in one payment");
    }

    @Test
    void currencyIsMatchedInEitherCase() {
        assertThat(ChargeableAmounts.supports("EUR")).isTrue();
        assertThat(ChargeableAmounts.refusal("EUR", 50)).isEmpty();
    }

    @Test
    void currencyStripeDoesNotChargeInIsRefused() {
        assertThat(ChargeableAmounts.supports("xyz")).isFalse();
        assertThat(ChargeableAmounts.supports(null)).isFalse();
        assertThat(ChargeableAmounts.refusal("xyz", 1000))
                .hasValue("cannot be charged in XYZ, a currency Stripe does not support");
    }
}
