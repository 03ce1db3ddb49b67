package dev.ticketing.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Stripe call the saga cannot make now (here: this node's budget is one call a second and a call
 * may not wait for it) is made again later for that order alone, through the persistent deadline
 * manager, until Stripe has taken it.
 */
@TestPropertySource(properties = {"ticketing.stripe.rate-limit.requests-per-second=1",
        "ticketing.stripe.rate-limit.max-wait=PT0S"})
class StripeRetryTest extends StandaloneOnPostgres {

    @Autowired
    private MeterRegistry meters;

    @Test
    void cancellationsStripeCouldNotTakeAtOnceAreAllMadeLater() {
        JsonNode event = createEvent(null, false, "General", 2500, 10);
        String eventId = event.path("eventId").asText();
        List<String[]> orders = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String buyer = buyer();
            String orderId = reserve(buyer, eventId, tierId(event, 0), 1).body().path("orderId").asText();
            String intent = awaitPayment(orderId, buyer).path("paymentIntentId").asText();
            orders.add(new String[] {orderId, buyer, intent});
        }
        double refusedBefore = noBudget();

        // released together: the saga has one Stripe call a second for three cancellations
        orders.forEach(order -> assertThat(api.post("/api/v1/orders/" + order[0] + "/cancel", order[1], Map.of())
                .status()).isEqualTo(200));

        StripeBuyer stripe = stripeBuyer();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> orders.stream()
                .allMatch(order -> stripe.intent(order[2], "sk_test_standin").path("status").asText().equals("canceled")));
        assertThat(noBudget()).as("calls that had to wait for a retry").isGreaterThan(refusedBefore);
    }

    /** Stripe calls this node did not make at once: its budget had no room (the service's own count). */
    private double noBudget() {
        return meters.find("ticketing.stripe.calls").tag("outcome", "no_budget").timers().stream()
                .mapToLong(Timer::count).sum();
    }
}
