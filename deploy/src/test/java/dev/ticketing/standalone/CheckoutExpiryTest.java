package dev.ticketing.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.test.context.TestPropertySource;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hold that runs out while the buyer looks at the checkout (holds of 8 s here): the countdown
 * reaches zero, the page says the order expired, with a way back, and the seats are on sale again.
 */
@TestPropertySource(properties = {"ticketing.security.dev-tokens.enabled=true", "ticketing.reservation.timeout=PT8S"})
class CheckoutExpiryTest extends StandaloneOnPostgres {

    @Test
    void theCheckoutSaysPlainlyWhenTheHoldHasExpired() {
        JsonNode event = createEvent("Poetry Night", null, false, "General", 2500, 4);
        String eventId = event.path("eventId").asText();
        try (Browser buyer = new Browser(port)) {
            buyer.signIn("gus-" + UUID.randomUUID().toString().substring(0, 6), null, "/event.html?id=" + eventId);
            buyer.waitForText(By.id("counts-" + tierId(event, 0)), "4 available");
            buyer.type(By.id("qty-" + tierId(event, 0)), "4");
            buyer.find(By.id("reserve")).click();
            assertThat(buyer.waitForText(By.id("countdown"), "expires in 0:0")).startsWith("Reserved for you");
            String orderId = buyer.url().replaceAll(".*order=", "");

            assertThat(buyer.waitForText(By.id("order-status"), "Expired"))
                    .contains("tickets went back on sale. Nothing was charged.");
            assertThat(buyer.find(By.id("countdown")).isDisplayed()).isFalse();
            assertThat(buyer.find(By.id("payment")).isDisplayed()).as("nothing left to pay").isFalse();
            awaitOrder(orderId, buyer.token(), "EXPIRED");
            buyer.screenshot("buyer-expired");
            assertThat(buyer.accessibilityViolations()).as("axe-core, WCAG 2.1 A and AA, on the expired checkout").isEmpty();
            assertThat(buyer.walkFocus().invisible()).as("focus not visible on the expired checkout").isEmpty();

            buyer.find(By.linkText("Back to the event")).click();
            buyer.waitForText(By.id("counts-" + tierId(event, 0)), "4 available");
            assertThat(buyer.find(By.id("my-reservation")).isDisplayed()).isFalse();
        }
    }
}
