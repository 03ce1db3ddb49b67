package dev.ticketing.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticketing.platform.testing.ApiClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A hot on-sale under Stripe's test-mode rate limits, which the stand-in keeps (25 requests/s, 25
 * per endpoint): holds cost no Stripe call at all, and the buyers who then pay all get their
 * tickets, however often Stripe answered 429 on the way.
 */
class OnSalePaymentsTest extends StandaloneOnPostgres {

    private static final int HOLDS = 1_000;
    private static final int PAYERS = 100;
    private static final int CLIENTS = 32;

    @Test
    void aThousandHoldsMakeNoStripeCallAndAHundredBuyersAllPay() throws Exception {
        JsonNode event = createEvent(null, false, "General", 2500, HOLDS);
        String eventId = event.path("eventId").asText();
        String general = tierId(event, 0);
        StripeBuyer stripe = stripeBuyer();
        long callsBefore = stripe.requests().path("total").asLong();

        List<String[]> holds = inParallel(HOLDS, i -> {
            String buyer = buyer();
            ApiClient.Response held = reserve(buyer, eventId, general, 1);
            assertThat(held.status()).as(held.toString()).isEqualTo(201);
            return new String[] {held.body().path("orderId").asText(), buyer};
        });
        assertThat(holds).hasSize(HOLDS);
        assertThat(stripe.requests().path("total").asLong() - callsBefore).as("Stripe calls for %d holds", HOLDS)
                .isZero();

        int rateLimitedBefore = StripeBuyer.RATE_LIMITED.get();
        List<String[]> payers = holds.subList(0, PAYERS);
        inParallel(PAYERS, i -> {
            String[] order = payers.get(i);
            JsonNode payment = awaitPayment(order[0], order[1]);   // only 200 or PAYMENT_NOT_READY, never a 429
            StripeBuyer.Answer paid = stripe.confirm(payment.path("paymentIntentId").asText(),
                    payment.path("clientSecret").asText(), "pm_card_visa");
            assertThat(paid.status()).as(paid.body().toString()).isEqualTo(200);
            return order;
        });
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() ->
                payers.stream().allMatch(order -> api.get("/api/v1/orders/" + order[0], order[1]).body()
                        .path("status").asText().equals("CONFIRMED")));

        JsonNode requests = stripe.requests();
        System.out.printf("[on-sale payments] %d holds: 0 Stripe calls; %d payments: %d Stripe requests, %d answered 429 "
                        + "(%d of them the buyers' own confirmations, tried again)%n", HOLDS, PAYERS,
                requests.path("total").asLong() - callsBefore, requests.path("rateLimited").asLong(),
                StripeBuyer.RATE_LIMITED.get() - rateLimitedBefore);
        assertThat(awaitAvailability(eventId, HOLDS - PAYERS, PAYERS).path("sold").asInt()).isEqualTo(PAYERS);
    }

    private interface Task<T> {
        T run(int index) throws Exception;
    }

    /** {@code count} tasks on {@value CLIENTS} clients at once; any failure fails the test. */
    private static <T> List<T> inParallel(int count, Task<T> task) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                futures.add(clients.submit((Callable<T>) () -> task.run(index)));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            clients.shutdownNow();
        }
    }
}
