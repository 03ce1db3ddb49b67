package dev.ticketing.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticketing.platform.testing.ApiClient;
import dev.ticketing.platform.testing.TestDatabase;
import dev.ticketing.platform.testing.TestTokens;
import dev.ticketing.testing.TicketingDriver;
import dev.ticketing.stripestandin.StandinServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app dies (SIGKILL) after the buyer paid but before Stripe's webhook reached it. Stripe
 * (here the stand-in, in a process of its own) keeps retrying, and the restarted app confirms.
 */
class PaymentAcrossCrashIT {

    @Test
    void aPaymentMadeWhileTheAppIsDownConfirmsAfterRestart(@TempDir Path workDir) throws Exception {
        TestDatabase.Schema schema = TestDatabase.freshSchema();
        String organizer = TestTokens.token("olga", "ORGANIZER");
        String buyer = TestTokens.token("jane");
        try (StandaloneProcess app = new StandaloneProcess(workDir, Map.of(
                "SPRING_DATASOURCE_URL", schema.url(), "SPRING_DATASOURCE_USERNAME", schema.user(),
                "SPRING_DATASOURCE_PASSWORD", schema.password(),
                "TICKETING_SECURITY_JWT_HMAC_SECRET", TestTokens.SECRET, "TICKETING_DEMO_ENABLED", "false"));
             ConfigurableApplicationContext standin = StandinServer.start(
                     "http://localhost:" + app.port() + "/api/v1/stripe/webhook", "whsec_crash")) {
            String stripeBase = "http://localhost:" + StandinServer.port(standin) + "/stripe-emulator";
            app.environment(Map.of("STRIPE_SECRET_KEY", "sk_test_crash", "STRIPE_PUBLISHABLE_KEY", "pk_test_crash",
                    "STRIPE_WEBHOOK_SECRET", "whsec_crash", "STRIPE_API_BASE", stripeBase));
            app.start();
            ApiClient api = app.api();
            TicketingDriver driver = TicketingDriver.on(api, organizer);

            TicketingDriver.OnSale event = driver.putOnSale("Crash Payment Gala", "usd", null, false,
                    List.of(new TicketingDriver.Tier("General", 2500, 10)));
            ApiClient.Response reserved = driver.reserve(buyer, event.eventId(), TicketingDriver.selections(event.tierId(0), 2));
            assertThat(reserved.status()).as(reserved.toString()).isEqualTo(201);
            String orderId = reserved.body().path("orderId").asText();
            JsonNode payment = driver.startPayment(orderId, buyer);

            app.kill();
            StripeBuyer.Answer paid = new StripeBuyer(stripeBase, "pk_test_crash").confirm(
                    payment.path("paymentIntentId").asText(), payment.path("clientSecret").asText(), "pm_card_visa");
            assertThat(paid.status()).isEqualTo(200);
            Thread.sleep(2_000); // Stripe's first deliveries fail while the app is down

            app.start();
            driver.awaitOrder(orderId, buyer, "CONFIRMED", Duration.ofSeconds(60));
            assertThat(api.get("/api/v1/orders/" + orderId, buyer).body().path("tickets")).hasSize(2);
        }
    }
}
