package dev.ticketing.stripestandin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stripe's rate limiter (docs.stripe.com/rate-limits): a global limit per account and a limit per
 * endpoint, each named API operation such as {@code GET /v1/payment_intents/{id}} being one endpoint
 * whatever the id. Each limit is a token bucket holding one second's worth, refilled continuously, so a
 * burst of a second's requests passes and then the rate holds. A request passes only if every bucket
 * has a token, and takes one from each only then. Every request is counted, refused or not.
 */
final class RateLimits {

    private final Bucket global;
    private final int perEndpointPerSecond;
    private final Map<String, Bucket> endpoints = new HashMap<>();
    private final Map<String, Long> requests = new TreeMap<>();
    private long total;
    private long rateLimited;

    /** A limit of 0 is switched off. */
    RateLimits(int globalPerSecond, int perEndpointPerSecond) {
        this.global = globalPerSecond > 0 ? new Bucket(globalPerSecond) : null;
        this.perEndpointPerSecond = perEndpointPerSecond;
    }

    /** @param endpoint method and path template, e.g. {@code POST /v1/payment_intents} */
    synchronized boolean admit(String endpoint) {
        total++;
        requests.merge(endpoint, 1L, Long::sum);
        long now = System.nanoTime();
        Bucket own = perEndpointPerSecond > 0
                ? endpoints.computeIfAbsent(endpoint, e -> new Bucket(perEndpointPerSecond)) : null;
        boolean admitted = hasToken(global, now) & hasToken(own, now);
        if (admitted) {
            take(global);
            take(own);
        } else {
            rateLimited++;
        }
        return admitted;
    }

    /** {@code {"total": n, "rateLimited": m, "endpoints": {"POST /v1/payment_intents": k, ...}}} */
    synchronized ObjectNode counts() {
        ObjectNode counts = JsonNodeFactory.instance.objectNode().put("total", total).put("rateLimited", rateLimited);
        ObjectNode byEndpoint = counts.putObject("endpoints");
        requests.forEach(byEndpoint::put);
        return counts;
    }

    private static boolean hasToken(Bucket bucket, long now) {
        return bucket == null || bucket.refill(now) >= 1;
    }

    private static void take(Bucket bucket) {
        if (bucket != null) {
            bucket.tokens--;
        }
    }

    /** Guarded by the enclosing {@link RateLimits}. */
    private static final class Bucket {
        private final double perSecond;
        private double tokens;
        private long refilledAt = System.nanoTime();

        private Bucket(double perSecond) {
            this.perSecond = perSecond;
            this.tokens = perSecond;
        }

        private double refill(long now) {
            tokens = Math.min(perSecond, tokens + (now - refilledAt) * perSecond / 1e9);
            refilledAt = now;
            return tokens;
        }
    }
}
