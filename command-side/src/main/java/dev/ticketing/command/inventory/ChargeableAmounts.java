package dev.ticketing.command.inventory;

import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What Stripe can charge a card, checked before Stripe sees a price: the currencies and limits of
 * docs.stripe.com/currencies ("Supported presentment currencies", "Zero-decimal currencies", "Minimum and
 * maximum charge amounts"), the same reading as the Stripe stand-in's. Amounts are in minor units
 * ("cents"; whole units for zero-decimal currencies such as JPY).
 */
public final class ChargeableAmounts {

    /** "The amount value supports up to eight digits", in every currency. */
    private static final long MAX_AMOUNT = 99_999_999;

    /**
     * For a currency its table leaves out, Stripe asks for the equivalent of 0.50 USD, which needs
     * exchange rates; 50 minor units stand for it, as the USD minimum (¥50 for JPY).
     */
    private static final long DEFAULT_MINIMUM = 50;

    private static final Set<String> SUPPORTED = Set.of("usd", "aed", "afn", "all", "amd", "ang", "aoa", "ars",
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

    private ChargeableAmounts() {
    }

    /** Whether Stripe charges cards in this ISO 4217 currency, in either case. */
    public static boolean supports(String currency) {
        return currency != null && SUPPORTED.contains(currency.toLowerCase(Locale.ROOT));
    }

    /**
     * Empty when Stripe can charge {@code amountCents} in {@code currency}; else why not, as the end of a
     * sentence about the price ("must be at least 0.50 USD, ..."). Zero is not chargeable: a free order
     * never reaches Stripe.
     */
    public static Optional<String> refusal(String currency, long amountCents) {
        if (!supports(currency)) {
            return Optional.of("cannot be charged in " + String.valueOf(currency).toUpperCase(Locale.ROOT)
                    + ", a currency Stripe does not support");
        }
        String code = currency.toLowerCase(Locale.ROOT);
        long minimum = MINIMUMS.getOrDefault(code, DEFAULT_MINIMUM);
        if (amountCents < minimum) {
            return Optional.of("must be at least " + major(code, minimum) + ", the smallest amount Stripe charges in "
                    + code.toUpperCase(Locale.ROOT));
        }
        if (amountCents > MAX_AMOUNT) {
            return Optional.of("must be at most " + major(code, MAX_AMOUNT) + ", the most Stripe charges in one payment");
        }
        return Optional.empty();
    }

    /** {@code 0.50 USD}, {@code 50 JPY}, {@code 999,999.99 USD}. */
    private static String major(String currency, long amount) {
        int decimals = ZERO_DECIMAL.contains(currency) ? 0 : 2;
        DecimalFormat format = new DecimalFormat(decimals == 0 ? "#,##0" : "#,##0.00", DecimalFormatSymbols.getInstance(Locale.US));
        return format.format(BigDecimal.valueOf(amount, decimals)) + " " + currency.toUpperCase(Locale.ROOT);
    }
}
