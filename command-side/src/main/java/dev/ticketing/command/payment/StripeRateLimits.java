package dev.ticketing.command.payment;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The budget of Stripe calls this node spends (StripeSettings.RateLimit): one limiter for all
 * calls and one per endpoint, each handing out one permit at a time at its rate, so calls are
 * spread evenly instead of bursting at the start of each second. A caller waits for its permits
 * (the wait is measured: {@code ticketing.stripe.limiter.wait}).
 */
@Component
public class StripeRateLimits {

    private final RateLimiter all;
    private final RateLimiterConfig perEndpoint;
    private final Map<String, RateLimiter> endpoints = new ConcurrentHashMap<>();
    private final MeterRegistry meters;

    public StripeRateLimits(StripeSettings settings, MeterRegistry meters) {
        StripeSettings.RateLimit limit = settings.rateLimit();
        this.all = RateLimiter.of("stripe", evenly(limit.requestsPerSecond(), limit.maxWait()));
        this.perEndpoint = evenly(limit.perEndpointPerSecond(), limit.maxWait());
        this.meters = meters;
    }

    /** Waits for a permit of all calls and of the endpoint; false when none came within the maximum wait. */
    boolean acquire(String endpoint) {
        long start = System.nanoTime();
        boolean granted = all.acquirePermission()
                && endpoints.computeIfAbsent(endpoint, name -> RateLimiter.of("stripe " + name, perEndpoint))
                .acquirePermission();
        Timer.builder("ticketing.stripe.limiter.wait").description("Time a Stripe call waited for the rate limit")
                .tag("operation", endpoint).tag("granted", String.valueOf(granted))
                .register(meters).record(Duration.ofNanos(System.nanoTime() - start));
        return granted;
    }

    private static RateLimiterConfig evenly(double perSecond, Duration maxWait) {
        return RateLimiterConfig.custom()
                .limitForPeriod(1)
                .limitRefreshPeriod(Duration.ofNanos(Math.max(1, (long) (1_000_000_000L / perSecond))))
                .timeoutDuration(maxWait)
                .build();
    }
}
