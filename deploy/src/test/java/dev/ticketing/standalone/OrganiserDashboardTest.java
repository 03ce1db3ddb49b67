package dev.ticketing.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.test.context.TestPropertySource;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The organiser's dashboard in real headless Chromium: an event created with the form, its bars
 * moving live while a buyer reserves and pays, the ledger, and a capacity change.
 */
@TestPropertySource(properties = "ticketing.security.dev-tokens.enabled=true")
class OrganiserDashboardTest extends StandaloneOnPostgres {

    @Test
    void organiserCreatesAnEventAndSeesItsBarsMoveAsABuyerReserves() {
        String name = "Autumn Ball " + UUID.randomUUID().toString().substring(0, 6);
        try (Browser organiser = new Browser(port, 1100, 1000)) {
            organiser.signIn("olga-" + UUID.randomUUID().toString().substring(0, 6), "ORGANIZER", "/organiser.html");
            organiser.waitFor(By.id("ev-name")).sendKeys(name);
            organiser.script("document.getElementById('ev-starts').value = '2027-10-01T19:30'");
            organiser.type(By.id("ev-max"), "100");
            organiser.type(By.id("tier-name-1"), "Standing");
            organiser.type(By.id("tier-price-1"), "30");
            organiser.type(By.id("tier-capacity-1"), "80");
            organiser.find(By.id("add-tier")).click();
            organiser.type(By.id("tier-name-2"), "Balcony");
            organiser.type(By.id("tier-price-2"), "55.50");
            organiser.type(By.id("tier-capacity-2"), "40");
            organiser.find(By.id("create")).click();

            organiser.waitForText(By.id("panel-heading"), name);
            organiser.waitForText(By.cssSelector("#event-select option:checked"), name);
            assertThat(organiser.find(By.id("page-message")).getText()).isEqualTo(name + " is on sale.");
            String eventId = organiser.url().replaceAll(".*event=", "");
            JsonNode created = availability(eventId);
            assertThat(created.path("name").asText()).isEqualTo(name);
            assertThat(created.path("maxAttendees").asInt()).isEqualTo(100);
            assertThat(created.path("tiers").get(1).path("priceCents").asLong()).isEqualTo(5550);
            String standing = tierId(created, 0);
            By standingBar = By.cssSelector("#tier-bars [data-tier-id='" + standing + "'] .legend");
            assertThat(organiser.waitForText(standingBar, "Sold 0")).contains("Held 0", "Free 80", "of 80");
            organiser.script("window.sameDocument = 'yes'");

            String buyer = buyer();
            var reserved = reserve(buyer, eventId, standing, 3, tierId(created, 1), 1);
            assertThat(reserved.status()).as(reserved.toString()).isEqualTo(201);
            assertThat(organiser.waitForText(standingBar, "Held 3")).contains("Sold 0", "Free 77");
            organiser.waitForText(By.cssSelector("#event-bar .legend"), "Held 4");

            String orderId = reserved.body().path("orderId").asText();
            JsonNode payment = awaitPayment(orderId, buyer);
            assertThat(stripeBuyer().confirm(payment.path("paymentIntentId").asText(),
                    payment.path("clientSecret").asText(), "pm_card_visa").status()).isEqualTo(200);
            assertThat(organiser.waitForText(standingBar, "Sold 3")).contains("Held 0", "Free 77");
            assertThat(organiser.waitForText(By.id("ledger-revenue"), "$145.50")).contains("Ticket revenue");
            // fee 2.9% of 14550 (422) + 30 = 452, once Stripe's charge.updated arrives
            organiser.waitForText(By.id("ledger-fees"), "$4.52");
            organiser.waitForText(By.id("ledger-net"), "$140.98");
            WebElement chart = organiser.waitFor(By.cssSelector("#sales-chart svg"));
            assertThat(chart.getDomAttribute("aria-label")).contains("$145.50");
            assertThat(organiser.script("return window.sameDocument")).as("the page was not reloaded").isEqualTo("yes");
            organiser.screenshot("organiser-dashboard");

            By capacity = By.id("capacity-" + standing);
            organiser.type(capacity, "2");
            organiser.find(By.cssSelector("#tier-bars [data-tier-id='" + standing + "'] button")).click();
            assertThat(organiser.waitForText(By.cssSelector("#tier-bars [data-tier-id='" + standing + "'] .field-error"),
                    "fewer")).isEqualTo("That is fewer than the tickets already sold or held. Choose a larger number.");
            organiser.type(capacity, "90");
            organiser.find(By.cssSelector("#tier-bars [data-tier-id='" + standing + "'] button")).click();
            assertThat(organiser.waitForText(standingBar, "of 90")).contains("Sold 3", "Free 87");
            assertThat(availability(eventId).path("tiers").get(0).path("capacity").asInt()).isEqualTo(90);
        }
    }

    @Test
    void aBuyerWithoutTheOrganiserRoleIsToldTheDashboardIsNotForThem() {
        try (Browser buyer = new Browser(port)) {
            buyer.signIn("eve-" + UUID.randomUUID().toString().substring(0, 6), null, "/organiser.html");
            assertThat(buyer.waitForText(By.id("page-message"), "organisers"))
                    .isEqualTo("This page is for organisers. Sign in as an organiser");
            assertThat(buyer.find(By.id("create-event")).isDisplayed()).isFalse();
            assertThat(buyer.accessibilityViolations()).as("axe-core, WCAG 2.1 A and AA, on the refused dashboard").isEmpty();
            assertThat(buyer.walkFocus().invisible()).as("focus not visible on the refused dashboard").isEmpty();
        }
    }
}
