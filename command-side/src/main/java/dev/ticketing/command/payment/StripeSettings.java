package dev.ticketing.command.payment;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code ticketing.stripe.*}: the keys (from the environment, never logged), the API base
 * (Stripe's, or the stand-in's), the tolerance of webhook timestamps and the budget of calls.
 */
@ConfigurationProperties("ticketing.stripe")
public record StripeSettings(String secretKey, String publishableKey, String webhookSecret, String apiBase,
                             Duration webhookTolerance, Duration maxProcessing, RateLimit rateLimit) {

    /**
     * This node's share of Stripe's rate limits (100 requests/s per account in live mode, 25 in
     * test mode, 25 per endpoint unless Stripe says otherwise). The defaults leave a fifth of each
     * for what does not pass here (Stripe.js in the buyers' browsers, the Dashboard). With several
     * command nodes on one account, give each {@code requestsPerSecond} = the account's budget / nodes.
     *
     * @param requestsPerSecond     all calls; default 80 with a live key, 20 with a test key
     * @param perEndpointPerSecond  calls to one endpoint (e.g. creating payment intents); default 20
     * @param maxWait               how long a call waits for the budget before it counts as Stripe unavailable
     * @param retries               retries of a call Stripe answered 429, with exponential backoff
     */
    public record RateLimit(Double requestsPerSecond, Double perEndpointPerSecond, Duration maxWait, Integer retries) {
    }

    public StripeSettings {
        apiBase = apiBase == null || apiBase.isBlank() ? "https://api.stripe.com" : apiBase;
        webhookTolerance = webhookTolerance == null ? Duration.ofMinutes(5) : webhookTolerance;
        maxProcessing = maxProcessing == null ? Duration.ofHours(1) : maxProcessing;
        boolean live = secretKey != null && (secretKey.startsWith("sk_live_") || secretKey.startsWith("rk_live_"));
        RateLimit given = rateLimit == null ? new RateLimit(null, null, null, null) : rateLimit;
        rateLimit = new RateLimit(
                given.requestsPerSecond() != null ? given.requestsPerSecond() : live ? 80.0 : 20.0,
                given.perEndpointPerSecond() != null ? given.perEndpointPerSecond() : 20.0,
                given.maxWait() != null ? given.maxWait() : Duration.ofSeconds(5),
                given.retries() != null ? given.retries() : 4);
    }

    boolean configured() {
        return secretKey != null && !secretKey.isBlank();
    }

    @Override
    public String toString() {
        return "StripeSettings[apiBase=" + apiBase + ", rateLimit=" + rateLimit + ", keys hidden]";
    }
}
