package dev.ticketing.standalone;

import dev.ticketing.platform.testing.TestTokens;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;

/**
 * Tokens of distinct buyers ({@code prefix-0}, {@code prefix-1}, ...), signed before a timed
 * window so that signing (about 0.1 ms each) is not measured. Should a window use more than were
 * signed, the rest are signed on the spot and counted, for the report.
 */
final class BuyerTokens {

    private final String prefix;
    private final String[] signed;
    private final AtomicInteger next = new AtomicInteger();
    private final LongAdder signedLate = new LongAdder();

    private BuyerTokens(String prefix, String[] signed) {
        this.prefix = prefix;
        this.signed = signed;
    }

    static BuyerTokens sign(String prefix, int count) {
        return new BuyerTokens(prefix, IntStream.range(0, count).parallel()
                .mapToObj(i -> TestTokens.token(prefix + "-" + i)).toArray(String[]::new));
    }

    /** The token of a buyer who has not been handed out before. */
    String next() {
        int buyer = next.getAndIncrement();
        if (buyer < signed.length) {
            return signed[buyer];
        }
        signedLate.increment();
        return TestTokens.token(prefix + "-" + buyer);
    }

    long signedLate() {
        return signedLate.sum();
    }
}
