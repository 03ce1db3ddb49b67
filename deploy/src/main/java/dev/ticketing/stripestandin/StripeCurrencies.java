package dev.ticketing.stripestandin;

import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The currencies Stripe charges cards in and its charge limits, as docs.stripe.com/currencies gives them
 * ("Supported presentment currencies", "Zero-decimal currencies", "Minimum and maximum charge amounts");
 * the service's {@code ChargeableAmounts} holds the same reading. Amounts are in minor units.
 */
final class StripeCurrencies {

    /** "The amount value supports up to eight digits", in every currency. */
    static final long MAX_AMOUNT = 99_999_999;

    /**
     * For a currency the table leaves out, Stripe asks for the equivalent of 0.50 USD, which needs
     * exchange rates; the stand-in asks for 50 minor units instead, as the USD minimum (¥50 for JPY).
     */
    private static final long DEFAULT_MINIMUM = 50;

    /** usd first, as Stripe lists them when it refuses a currency. */
    private static final List<String> SUPPORTED = List.of("usd", "aed", "afn", "all", "amd", "ang", "aoa", "ars",
            "aud", "awg", "azn", "bam", "bbd", "bdt", "bgn", "bif", "bmd", "bnd", "bob", "brl", "bsd", "bwp", "byn",
            "bzd", "cad", "cdf", "chf", "clp", "cny", "cop", "crc", "cve", "czk", "djf", "dkk", "dop", "dzd", "egp",
            "etb", "eur", "fjd", "fkp", "gbp", "gel", "gip", "gmd", "gnf", "gtq", "gyd", "hkd", "hnl", "htg", "huf",
            "idr", "ils", "inr", "isk", "jmd", "jpy", "kes", "kgs", "khr", "kmf", "krw", "kyd", "kzt", "lak", "lbp",
            "lkr", "lrd", "lsl", "mad", "mdl", "mga", "mkd", "mmk", "mnt", "mop", "mur", "mvr", "mwk", "mxn", "myr",
            "mzn", "nad", "ngn", "nio", "nok", "npr", "nzd", "pab", "pen", "pgk", "php", "pkr", "pln", "pyg", "qar",
            "ron", "rsd", "rub", "rwf", "sar", "sbd", "scr", "sek", "sgd", "shp", "sle", "sos", "srd", "std", "szl",
            "thb", "tjs", "top", "try", "ttd", "twd", "tzs", "uah", "ugx", "uyu", "uzs", "vnd", "vuv", "wst", "xaf",
            "xcd", "xcg", "xof", "xpf", "yer", "zar", "zmw");
    private static final Set<String> ZERO_DECIMAL = Set.of("bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga",
            "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf");
    private static final Map<String, Long> MINIMUMS = Map.ofEntries(Map.entry("usd", 50L), Map.entry("aed", 200L),
            Map.entry("aud", 50L), Map.entry("bgn", 100L), Map.entry("brl", 50L), Map.entry("cad", 50L),
            Map.entry("chf", 50L), Map.entry("czk", 1500L), Map.entry("dkk", 250L), Map.entry("eur", 50L),
            Map.entry("gbp", 30L), Map.entry("hkd", 400L), Map.entry("huf", 17500L), Map.entry("inr", 50L),
            Map.entry("jpy", 50L), Map.entry("mxn", 1000L), Map.entry("myr", 200L), Map.entry("nok", 300L),
            Map.entry("nzd", 50L), Map.entry("pln", 200L), Map.entry("ron", 200L), Map.entry("sek", 300L),
            Map.entry("sgd", 50L), Map.entry("thb", 1000L));

    private StripeCurrencies() {
    }

    /** Refuses, as Stripe words it, a currency it does not charge in or an amount outside its limits. */
    static void requireChargeable(String currency, long amount) {
        if (!SUPPORTED.contains(currency)) {
            throw StripeApiError.invalidRequest(null, "Invalid currency: " + currency
                    + ". Stripe currently supports these currencies: " + String.join(", ", SUPPORTED), "currency");
        }
        long minimum = MINIMUMS.getOrDefault(currency, DEFAULT_MINIMUM);
        if (amount < minimum) {
            throw StripeApiError.invalidRequest("amount_too_small",
                    "Amount must be at least " + money(currency, minimum) + " " + currency, "amount");
        }
        if (amount > MAX_AMOUNT) {
            throw StripeApiError.invalidRequest("amount_too_large",
                    "Amount must be no more than " + money(currency, MAX_AMOUNT), "amount");
        }
    }

    /** {@code €0.50}, {@code ¥50}, {@code $999,999.99}: the currency's sign and its major unit. */
    private static String money(String currency, long amount) {
        int decimals = ZERO_DECIMAL.contains(currency) ? 0 : 2;
        DecimalFormat format = new DecimalFormat(decimals == 0 ? "#,##0" : "#,##0.00", DecimalFormatSymbols.getInstance(Locale.US));
        String code = currency.toUpperCase(Locale.ROOT);
        String symbol;
        try {
            symbol = Currency.getInstance(code).getSymbol(Locale.US);
        } catch (IllegalArgumentException unknownToTheJdk) {
            symbol = code;
        }
        return (symbol.equals(code) ? code + " " : symbol) + format.format(BigDecimal.valueOf(amount, decimals));
    }
}
