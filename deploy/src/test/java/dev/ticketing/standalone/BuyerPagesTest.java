package dev.ticketing.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.test.context.TestPropertySource;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The buyer's pages in real headless Chromium, against the standalone on PostgreSQL with the
 * Stripe stand-in: sign in, pick tickets across tiers, the countdown, paying, tickets with QR
 * codes, live counts in a second browser, and refusals as sentences.
 */
@TestPropertySource(properties = "ticketing.security.dev-tokens.enabled=true")
class BuyerPagesTest extends StandaloneOnPostgres {

    private static final Pattern TIME_LEFT = Pattern.compile("expires in (\\d+):(\\d\\d)");
    private final List<Browser> browsers = new ArrayList<>();

    @AfterEach
    void closeBrowsers() {
        browsers.forEach(Browser::close);
    }

    private Browser browser() {
        Browser browser = new Browser(port);
        browsers.add(browser);
        return browser;
    }

    @Test
    void buyerReservesAcrossTwoTiersSeesTheCountdownPaysAndGetsTickets() {
        JsonNode event = createEvent("Summer Gala", null, false, "General", 2500, 10, "VIP", 9000, 5);
        String eventId = event.path("eventId").asText();
        Browser buyer = browser();
        buyer.signIn("ann-" + shortId(), null, "/event.html?id=" + eventId);

        buyer.waitForText(By.id("counts-" + tierId(event, 0)), "10 available");
        buyer.waitForText(By.id("counts-" + tierId(event, 1)), "5 available");
        buyer.screenshot("buyer-event");
        buyer.type(By.id("qty-" + tierId(event, 0)), "2");
        buyer.type(By.id("qty-" + tierId(event, 1)), "1");
        assertThat(buyer.find(By.id("order-total")).getText()).isEqualTo("3 tickets, $140.00");
        buyer.find(By.id("reserve")).click();

        String countdown = buyer.waitForText(By.id("countdown"), "Reserved for you — expires in");
        String orderId = buyer.url().replaceAll(".*order=", "");
        JsonNode order = awaitOrder(orderId, buyer.token(), "RESERVED");
        assertThat(order.path("totalCents").asLong()).isEqualTo(14000);
        int first = secondsLeft(countdown);
        assertThat(first).as(countdown).isBetween(14 * 60, 15 * 60);
        int later = buyer.await(d -> {
            int now = secondsLeft(d.findElement(By.id("countdown")).getText());
            return now < first ? now : null;
        });
        assertThat(later).as("the countdown runs without a reload").isLessThan(first);
        assertThat(buyer.find(By.id("order-lines")).getText()).contains("General", "VIP", "$50.00", "$90.00");
        buyer.screenshot("buyer-checkout");

        buyer.find(By.id("pay")).click(); // the success card is the first choice
        buyer.waitForText(By.id("order-status"), "You're going!");
        List<WebElement> tickets = buyer.await(d -> {
            List<WebElement> shown = d.findElements(By.cssSelector("#tickets .ticket img[src^='blob:']"));
            return shown.size() == 3 ? shown : null;
        });
        assertThat(tickets).allSatisfy(qr -> assertThat(buyer.script(
                "return arguments[0].complete && arguments[0].naturalWidth", qr)).as("QR image decoded").isNotEqualTo(0L));
        JsonNode confirmed = awaitOrder(orderId, buyer.token(), "CONFIRMED");
        List<String> codes = new ArrayList<>();
        confirmed.path("tickets").forEach(t -> codes.add(t.path("code").asText()));
        assertThat(buyer.find(By.id("tickets")).getText()).contains(codes);
        assertThat(countdownShown(buyer)).as("no countdown once paid").isFalse();
        awaitAvailability(eventId, 0, 3);
        buyer.screenshot("buyer-tickets");

        buyer.open("/orders.html");
        buyer.waitForText(By.cssSelector("[data-order-id='" + orderId + "']"), "Paid");
    }

    @Test
    void aSecondBrowserSeesTheCountsChangeWithoutReloading() {
        JsonNode event = createEvent(null, false, "General", 2500, 10, "VIP", 9000, 5);
        String eventId = event.path("eventId").asText();
        By general = By.id("counts-" + tierId(event, 0));
        Browser watcher = browser();
        watcher.open("/event.html?id=" + eventId);
        watcher.waitForText(general, "10 available");
        watcher.script("window.sameDocument = 'yes'");

        Browser buyer = browser();
        buyer.signIn("ben-" + shortId(), null, "/event.html?id=" + eventId);
        buyer.waitForText(general, "10 available");
        buyer.type(By.id("qty-" + tierId(event, 0)), "3");
        buyer.find(By.id("reserve")).click();
        buyer.waitForText(By.id("countdown"), "expires in");

        assertThat(watcher.waitForText(general, "7 available")).isEqualTo("7 available, 3 reserved by others");
        String otherBuyer = buyer();
        assertThat(reserve(otherBuyer, eventId, tierId(event, 0), 7).status()).isEqualTo(201);
        assertThat(watcher.waitForText(general, "None available now"))
                .isEqualTo("None available now, 10 reserved by others (they may come back if not paid)");
        assertThat(watcher.script("return window.sameDocument")).as("the page was not reloaded").isEqualTo("yes");

        // the buyer's own view does not count their hold as someone else's
        buyer.open("/event.html?id=" + eventId);
        assertThat(buyer.waitForText(general, "reserved by others")).startsWith("None available now, 7 reserved by others");
        assertThat(buyer.waitForText(By.id("my-reservation"), "Continue to checkout")).contains("You hold tickets");
    }

    @Test
    void aDeclinedCardShowsTheErrorAndTheBuyerCanRetry() {
        JsonNode event = createEvent("Jazz at the Harbour", null, false, "General", 2500, 10);
        Browser buyer = browser();
        String orderId = reserveOnThePage(buyer, "cat", event, 2);

        buyer.find(By.cssSelector("input[name='card'][value='pm_card_chargeDeclined']")).click();
        buyer.find(By.id("pay")).click();
        assertThat(buyer.waitForText(By.id("payment-error"), "declined"))
                .isEqualTo("Your card was declined. Try again or use another card.");
        buyer.await(d -> d.findElement(By.id("pay")).isEnabled());
        assertThat(countdownShown(buyer)).as("still held after the decline").isTrue();
        assertThat(awaitOrder(orderId, buyer.token(), "RESERVED").path("payment").path("lastError").asText())
                .isNotBlank();
        buyer.screenshot("buyer-declined");

        buyer.find(By.cssSelector("input[name='card'][value='pm_card_visa']")).click();
        buyer.find(By.id("pay")).click();
        buyer.waitForText(By.id("order-status"), "You're going!");
        assertThat(buyer.find(By.id("payment-error")).isDisplayed()).isFalse();
        assertThat(buyer.findAll(By.cssSelector("#tickets .ticket"))).hasSize(2);
        awaitOrder(orderId, buyer.token(), "CONFIRMED");
    }

    @Test
    void refusalsAppearAsSentencesNextToWhatCausedThem() {
        JsonNode event = createEvent(null, false, "General", 2500, 3, "VIP", 9000, 5);
        String eventId = event.path("eventId").asText();
        assertThat(reserve(buyer(), eventId, tierId(event, 0), 2).status()).isEqualTo(201);
        Browser buyer = browser();
        buyer.signIn("dan-" + shortId(), null, "/event.html?id=" + eventId);
        buyer.waitForText(By.id("counts-" + tierId(event, 0)), "1 available, 2 reserved by others");

        buyer.type(By.id("qty-" + tierId(event, 0)), "2");
        buyer.type(By.id("qty-" + tierId(event, 1)), "1");
        buyer.find(By.id("reserve")).click();
        assertThat(buyer.waitForText(By.id("error-" + tierId(event, 0)), "left"))
                .isEqualTo("Only 1 left in General. Choose 1 or fewer.");
        assertThat(buyer.find(By.tagName("body")).getText()).doesNotContain("TIER_SOLD_OUT", "{");
        awaitAvailability(eventId, 2, 0); // the refused request held nothing

        buyer.type(By.id("qty-" + tierId(event, 0)), "1");
        buyer.find(By.id("reserve")).click();
        buyer.waitForText(By.id("countdown"), "expires in");
        String orderId = buyer.url().replaceAll(".*order=", "");

        buyer.open("/event.html?id=" + eventId);
        buyer.waitForText(By.id("counts-" + tierId(event, 1)), "available");
        buyer.type(By.id("qty-" + tierId(event, 1)), "1");
        buyer.find(By.id("reserve")).click();
        assertThat(buyer.waitForText(By.id("reserve-error"), "unpaid order"))
                .startsWith("You already hold an unpaid order for this event.");
        buyer.find(By.linkText("Go to your order")).click();
        buyer.waitForText(By.id("countdown"), "expires in");
        assertThat(buyer.url()).endsWith("order=" + orderId);

        buyer.find(By.id("release")).click();
        buyer.acceptConfirmation();
        assertThat(buyer.waitForText(By.id("order-status"), "Released"))
                .contains("You released these tickets; nothing was charged.");
        buyer.find(By.linkText("Back to the event"));
        awaitOrder(orderId, buyer.token(), "CANCELLED");

        JsonNode membersOnly = createEvent(null, true, "Members", 1000, 10);
        buyer.open("/event.html?id=" + membersOnly.path("eventId").asText());
        buyer.waitForText(By.id("counts-" + tierId(membersOnly, 0)), "10 available");
        buyer.type(By.id("qty-" + tierId(membersOnly, 0)), "1");
        buyer.find(By.id("reserve")).click();
        assertThat(buyer.waitForText(By.id("reserve-error"), "members"))
                .isEqualTo("This event is for members only. Sign in with a member account to buy tickets.");
    }

    @Test
    void onAPhoneThePagesFitTheScreenAndEveryControlHasALabel() {
        JsonNode event = createEvent("Winter Concert", 40, false, "General", 2500, 30, "VIP", 9000, 20);
        String eventId = event.path("eventId").asText();
        try (Browser phone = Browser.phone(port)) {
            // signing in with a token from an identity provider: pasted, not issued here
            phone.open("/signin.html?next=" + java.net.URLEncoder.encode("/event.html?id=" + eventId,
                    java.nio.charset.StandardCharsets.UTF_8));
            phone.waitFor(By.id("token")).sendKeys(buyer());
            phone.find(By.cssSelector("#token-signin button")).click();
            phone.waitForText(By.id("counts-" + tierId(event, 1)), "20 available");
            assertThat(phone.find(By.id("signed-in-as")).getText()).startsWith("buyer-");
            assertThat(phone.fitsTheWidth()).as("event page fits 390 px").isTrue();
            assertThat(phone.unlabelledControls()).as("event page").isEmpty();
            phone.screenshot("phone-event");

            phone.type(By.id("qty-" + tierId(event, 1)), "2");
            phone.find(By.id("reserve")).click();
            phone.waitForText(By.id("countdown"), "expires in");
            assertThat(phone.fitsTheWidth()).as("checkout fits 390 px").isTrue();
            assertThat(phone.unlabelledControls()).as("checkout").isEmpty();
            phone.screenshot("phone-checkout");

            phone.open("/signin.html");
            phone.waitFor(By.id("name"));
            assertThat(phone.unlabelledControls()).as("sign-in page").isEmpty();
            assertThat(phone.fitsTheWidth()).as("sign-in page fits 390 px").isTrue();
        }
    }

    /**
     * axe-core's WCAG 2.0/2.1 A and AA rules and a walk with Tab (a visible focus indicator on every
     * stop) on every page, in the states a buyer and an organiser pass through; first on a page
     * made to fail, so that a check that finds nothing has looked.
     */
    @Test
    void everyPageMeetsWcagAaAndShowsWhereKeyboardFocusIs() {
        Browser browser = browser();
        browser.openHtml("""
                <!doctype html><html lang="en"><head><title>Faults</title>
                <style>#faint-ring:focus { outline: 2px solid #eeeeee; outline-offset: 2px; }</style></head>
                <body><main><h1>Faults</h1><p style="color: #b0b0b0">Faint text</p>
                <input id="unlabelled"> <button id="no-ring" style="outline: none">No ring</button>
                <a id="faint-ring" href="#top">Faint ring</a></main></body></html>""");
        assertThat(browser.accessibilityViolations()).as("axe-core on a page made to fail")
                .anySatisfy(v -> assertThat(v).startsWith("color-contrast ").contains("insufficient color contrast"))
                .anySatisfy(v -> assertThat(v).startsWith("label ").contains("#unlabelled"));
        Browser.FocusWalk faults = browser.walkFocus();
        assertThat(faults.reached()).as("Tab on a page made to fail").hasSize(3);
        assertThat(faults.missed()).as("not reached with Tab on a page made to fail").isEmpty();
        assertThat(faults.invisible()).as("focus not visible on a page made to fail").satisfiesExactly(
                v -> assertThat(v).startsWith("button#no-ring").contains("no focus indicator"),
                v -> assertThat(v).startsWith("a#faint-ring").contains("contrast"));

        SoftAssertions pages = new SoftAssertions();
        JsonNode event = createEvent("Summer Gala", null, false, "General", 2500, 3, "VIP", 9000, 5);
        String eventId = event.path("eventId").asText();
        String general = tierId(event, 0);
        browser.open("/signin.html");
        browser.waitFor(By.cssSelector("#dev-signin:not([hidden]) #name"));
        assertAccessible(pages, browser, "sign-in page");

        browser.signIn("lea-" + shortId(), null, "/event.html?id=" + eventId);
        browser.waitForText(By.id("counts-" + tierId(event, 1)), "5 available");
        browser.waitForText(By.id("live"), "Live");
        assertAccessible(pages, browser, "event page");
        browser.type(By.id("qty-" + general), "4");
        browser.find(By.id("reserve")).click();
        browser.waitForText(By.id("error-" + general), "Only 3 left");
        assertAccessible(pages, browser, "event page with a refusal");

        browser.type(By.id("qty-" + general), "2");
        browser.find(By.id("reserve")).click();
        browser.waitForText(By.id("countdown"), "expires in");
        browser.waitFor(By.cssSelector("input[name='card'][value='pm_card_visa']"));
        assertAccessible(pages, browser, "checkout, reserved");
        browser.find(By.cssSelector("input[name='card'][value='pm_card_chargeDeclined']")).click();
        browser.find(By.id("pay")).click();
        browser.waitForText(By.id("payment-error"), "declined");
        browser.await(d -> d.findElement(By.id("pay")).isEnabled());
        assertAccessible(pages, browser, "checkout, card declined");
        browser.find(By.cssSelector("input[name='card'][value='pm_card_visa']")).click();
        browser.find(By.id("pay")).click();
        browser.waitForText(By.id("order-status"), "You're going!");
        browser.await(d -> d.findElements(By.cssSelector("#tickets .ticket img[src^='blob:']")).size() == 2 ? true : null);
        assertAccessible(pages, browser, "checkout, confirmed with tickets");

        browser.open("/event.html?id=" + eventId);
        browser.waitForText(By.id("counts-" + tierId(event, 1)), "5 available");
        browser.type(By.id("qty-" + tierId(event, 1)), "1");
        browser.find(By.id("reserve")).click();
        browser.waitForText(By.id("countdown"), "expires in");
        browser.waitFor(By.id("release")).click();
        browser.acceptConfirmation();
        browser.waitForText(By.id("order-status"), "Released");
        assertAccessible(pages, browser, "checkout, released");

        browser.open("/orders.html");
        browser.await(d -> d.findElements(By.cssSelector("#orders .badge")).size() == 2 ? true : null);
        assertAccessible(pages, browser, "my orders");
        browser.open("/");
        browser.waitFor(By.cssSelector("[data-event-id='" + eventId + "']"));
        assertAccessible(pages, browser, "events list");

        Browser organiser = browser();
        organiser.signIn("ola-" + shortId(), "ORGANIZER", "/organiser.html?event=" + eventId);
        organiser.waitForText(By.id("panel-heading"), "Summer Gala");
        organiser.waitForText(By.id("ledger-revenue"), "$50.00");
        organiser.waitFor(By.cssSelector("#sales-chart svg"));
        assertAccessible(pages, organiser, "organiser dashboard");
        pages.assertAll();
    }

    private static void assertAccessible(SoftAssertions pages, Browser browser, String page) {
        pages.assertThat(browser.accessibilityViolations()).as("axe-core, WCAG 2.1 A and AA, on the %s", page).isEmpty();
        Browser.FocusWalk walk = browser.walkFocus();
        pages.assertThat(walk.reached().isEmpty() ? "nothing" : walk.reached().get(0))
                .as("the first Tab on the %s", page).startsWith("a.skip");
        pages.assertThat(walk.invisible()).as("focus not visible on the %s (reached: %s)", page, walk.reached()).isEmpty();
        pages.assertThat(walk.missed()).as("not reached with Tab on the %s (reached: %s)", page, walk.reached()).isEmpty();
    }

    @Test
    void aRefundedOrderSaysSoWithAWayBackToTheEvent() {
        JsonNode event = createEvent(null, false, "General", 2500, 10);
        Browser buyer = browser();
        reserveOnThePage(buyer, "fay", event, 1);
        buyer.find(By.id("pay")).click();
        buyer.waitForText(By.id("order-status"), "You're going!");
        String orderId = buyer.url().replaceAll(".*order=", "");

        assertThat(api.post("/api/v1/orders/" + orderId + "/refund", ORGANIZER, java.util.Map.of()).status()).isEqualTo(202);
        awaitOrder(orderId, buyer.token(), "REFUNDED");
        buyer.open("/checkout.html?order=" + orderId);
        assertThat(buyer.waitForText(By.id("order-status"), "Refunded"))
                .contains("This order was refunded in full and its tickets are no longer valid.");
        assertThat(buyer.find(By.id("tickets-section")).isDisplayed()).as("void tickets are not shown").isFalse();
        assertThat(buyer.find(By.id("payment")).isDisplayed()).isFalse();
        buyer.find(By.linkText("Back to the event")).click();
        buyer.waitForText(By.id("counts-" + tierId(event, 0)), "10 available");
    }

    @Test
    void aFreeTierIsGotWithOneClickAndItsTicketsShowWithoutAPayment() {
        JsonNode event = createEvent("Open Rehearsal", null, false, "RSVP", 0, 50, "Dinner", 2500, 20);
        String eventId = event.path("eventId").asText();
        String rsvp = tierId(event, 0);
        Browser buyer = browser();
        buyer.signIn("gus-" + shortId(), null, "/event.html?id=" + eventId);
        buyer.waitForText(By.id("counts-" + rsvp), "50 available");
        assertThat(buyer.find(By.id("price-" + rsvp)).getText()).isEqualTo("Free");
        assertThat(buyer.find(By.id("price-" + tierId(event, 1))).getText()).isEqualTo("$25.00");

        buyer.type(By.id("qty-" + tierId(event, 1)), "1");
        assertThat(buyer.find(By.id("reserve")).getText()).as("a paid ticket is reserved").isEqualTo("Reserve tickets");
        buyer.type(By.id("qty-" + tierId(event, 1)), "0");
        buyer.type(By.id("qty-" + rsvp), "2");
        assertThat(buyer.find(By.id("order-total")).getText()).isEqualTo("2 tickets, Free");
        assertThat(buyer.find(By.id("reserve")).getText()).isEqualTo("Get tickets");
        buyer.find(By.id("reserve")).click();

        assertThat(buyer.waitForText(By.id("order-status"), "You're going!"))
                .isEqualTo("Confirmed You're going! Your tickets are below.");
        String orderId = buyer.url().replaceAll(".*order=", "");
        buyer.await(d -> d.findElements(By.cssSelector("#tickets .ticket img[src^='blob:']")).size() == 2 ? true : null);
        JsonNode confirmed = awaitOrder(orderId, buyer.token(), "CONFIRMED");
        assertThat(confirmed.path("payment").isNull()).as("no payment for a free order").isTrue();
        List<String> codes = new ArrayList<>();
        confirmed.path("tickets").forEach(t -> codes.add(t.path("code").asText()));
        assertThat(buyer.find(By.id("tickets")).getText()).contains(codes);
        assertThat(buyer.find(By.id("order-total")).getText()).isEqualTo("Free");
        assertThat(buyer.find(By.id("payment")).isDisplayed()).as("no payment section").isFalse();
        assertThat(buyer.find(By.id("pay")).isDisplayed()).as("no Pay button").isFalse();
        assertThat(countdownShown(buyer)).as("nothing is held: no countdown").isFalse();
        awaitAvailability(eventId, 0, 2);
        buyer.screenshot("buyer-free-tickets");

        buyer.open("/orders.html");
        assertThat(buyer.waitForText(By.cssSelector("[data-order-id='" + orderId + "']"), "Confirmed"))
                .contains("2 tickets, Free");
    }

    @Test
    void theCheckoutMakesNoPaymentCallUntilTheBuyerClicksPay() {
        JsonNode event = createEvent(null, false, "General", 2500, 10);
        Browser buyer = browser();
        String orderId = reserveOnThePage(buyer, "hal", event, 1);
        buyer.waitFor(By.cssSelector("input[name='card'][value='pm_card_visa']"));
        // settled: the card form is up and the page has read the order again since
        buyer.await(d -> requests(buyer, "/api/v1/orders/" + orderId + "$").size() >= 2 ? true : null);

        assertThat(requests(buyer, "/orders/" + orderId + "/payment$")).as("payment calls before Pay").isEmpty();
        assertThat(requests(buyer, "/v1/payment_intents")).as("Stripe calls before Pay").isEmpty();
        assertThat(api.get("/api/v1/orders/" + orderId, buyer.token()).body().path("payment").isNull())
                .as("no payment intent before Pay").isTrue();

        buyer.find(By.id("pay")).click();
        buyer.waitForText(By.id("order-status"), "You're going!");
        JsonNode confirmed = awaitOrder(orderId, buyer.token(), "CONFIRMED");
        assertThat(confirmed.path("payment").path("paymentIntentId").asText()).startsWith("pi_");
        assertThat(requests(buyer, "/orders/" + orderId + "/payment$")).as("payment calls").hasSize(1);
    }

    @Test
    void whileStripeIsBusyTheCheckoutGetsThePaymentReadyAndThenPays() {
        JsonNode event = createEvent(null, false, "General", 2500, 10);
        Browser buyer = browser();
        String orderId = reserveOnThePage(buyer, "ida", event, 1);
        buyer.waitFor(By.cssSelector("input[name='card'][value='pm_card_visa']"));
        // the service's answer while Stripe's rate limit holds the payment up, twice
        answerFirst(buyer, "POST", "/orders/" + orderId + "/payment$", 2, 409, "application/problem+json",
                "{\"code\":\"PAYMENT_NOT_READY\",\"status\":409,\"detail\":\"The payment of order " + orderId
                + " is being set up; try again in a moment\"}");

        buyer.find(By.id("pay")).click();
        assertThat(buyer.waitForText(By.id("payment-error"), "ready")).isEqualTo("Getting your payment ready…");
        buyer.waitForText(By.id("order-status"), "You're going!");
        awaitOrder(orderId, buyer.token(), "CONFIRMED");
        assertThat(answeredFirst(buyer)).as("busy answers the page waited out").hasSize(2);
        assertThat(buyer.find(By.id("payment")).isDisplayed()).isFalse();
    }

    @Test
    void aConfirmStripeRateLimitsIsRetriedWithoutShowingAnError() {
        JsonNode event = createEvent(null, false, "General", 2500, 10);
        Browser buyer = browser();
        String orderId = reserveOnThePage(buyer, "jo", event, 1);
        buyer.waitFor(By.cssSelector("input[name='card'][value='pm_card_visa']"));
        // Stripe's own 429 to the browser's confirm, three times in a row
        answerFirst(buyer, "POST", "/v1/payment_intents/[^/]+/confirm$", 3, 429, "application/json",
                "{\"error\":{\"type\":\"invalid_request_error\",\"code\":\"rate_limit\",\"message\":"
                + "\"Request rate limit exceeded.\"}}");
        buyer.script("""
                const region = document.getElementById('payment-error');
                window.errorsShown = [];
                new MutationObserver(() => {
                  if (!region.hidden && region.dataset.kind === 'error') window.errorsShown.push(region.textContent);
                }).observe(region, { attributes: true, childList: true, characterData: true, subtree: true });""");

        buyer.find(By.id("pay")).click();
        buyer.waitForText(By.id("order-status"), "You're going!");
        awaitOrder(orderId, buyer.token(), "CONFIRMED");
        List<Long> limited = answeredFirst(buyer);
        assertThat(limited).as("429s waited out").hasSize(3);
        assertThat(limited.get(1) - limited.get(0)).as("backs off").isGreaterThanOrEqualTo(250);
        assertThat(limited.get(2) - limited.get(1)).as("and longer each time").isGreaterThanOrEqualTo(500);
        assertThat((List<?>) buyer.script("return window.errorsShown")).as("errors shown meanwhile").isEmpty();
    }

    @Test
    void anOrderStripeRefusesSaysWhyAndThatNothingWasCharged() {
        // Stripe charges at most $999,999.99 at once: two of these are more
        JsonNode event = createEvent("Patrons' Evening", null, false, "Patron", 99_999_999, 10);
        String eventId = event.path("eventId").asText();
        Browser buyer = browser();
        String orderId = reserveOnThePage(buyer, "kim", event, 2);

        buyer.find(By.id("pay")).click();
        assertThat(buyer.waitForText(By.id("order-status"), "nothing was charged")).contains("Payment refused");
        assertThat(buyer.find(By.id("payment")).isDisplayed()).as("no Pay button").isFalse();
        JsonNode cancelled = awaitOrder(orderId, buyer.token(), "CANCELLED");
        assertThat(cancelled.path("payment").path("status").asText()).isEqualTo("refused");
        assertThat(buyer.waitForText(By.id("order-status"), "Stripe could not take this payment")).isEqualTo(
                "Payment refused Stripe could not take this payment: Amount must be no more than $999,999.99; "
                + "your tickets were released and nothing was charged. Back to the event");
        assertThat(countdownShown(buyer)).isFalse();
        awaitAvailability(eventId, 0, 0);

        buyer.open("/checkout.html?order=" + orderId); // as it reads later
        assertThat(buyer.waitForText(By.id("order-status"), "Stripe could not take this payment"))
                .doesNotContain("You released these tickets");
        assertThat(buyer.find(By.id("payment")).isDisplayed()).isFalse();
    }

    private static boolean countdownShown(Browser browser) {
        return browser.find(By.id("countdown")).isDisplayed();
    }

    /** The page's own requests (fetches included) whose URL matches {@code pattern}, as the browser timed them. */
    @SuppressWarnings("unchecked")
    private static List<String> requests(Browser browser, String pattern) {
        return (List<String>) browser.script("return performance.getEntriesByType('resource').map(e => e.name)"
                + ".filter(n => new RegExp(arguments[0]).test(n.split('?')[0]))", pattern);
    }

    /**
     * The page's next {@code times} requests of {@code method} to a URL matching {@code pattern} get this answer
     * instead of going out (what a busy Stripe, or the service while Stripe is busy, says); the rest go through.
     */
    private static void answerFirst(Browser browser, String method, String pattern, int times, int status,
                                    String contentType, String body) {
        browser.script("""
                const [method, pattern, times, status, contentType, body] = arguments;
                const realFetch = window.fetch;
                let left = times;
                window.answeredFirst = [];
                window.fetch = function (input, init = {}) {
                  const url = String(input instanceof Request ? input.url : input);
                  if (left > 0 && (init.method || 'GET').toUpperCase() === method && new RegExp(pattern).test(url)) {
                    left--;
                    window.answeredFirst.push(Date.now());
                    return Promise.resolve(new Response(body, { status, headers: { 'Content-Type': contentType } }));
                  }
                  return realFetch.call(window, input, init);
                };""", method, pattern, times, status, contentType, body);
    }

    /** When (epoch ms) the answers of {@link #answerFirst} were given. */
    @SuppressWarnings("unchecked")
    private static List<Long> answeredFirst(Browser browser) {
        return ((List<Number>) browser.script("return window.answeredFirst")).stream().map(Number::longValue).toList();
    }

    private static int secondsLeft(String countdown) {
        Matcher m = TIME_LEFT.matcher(countdown);
        assertThat(m.find()).as(countdown).isTrue();
        return Integer.parseInt(m.group(1)) * 60 + Integer.parseInt(m.group(2));
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** A new buyer signs in on the event's page and reserves {@code quantity} of its first tier there: the order's id. */
    private static String reserveOnThePage(Browser buyer, String name, JsonNode event, int quantity) {
        String tier = tierId(event, 0);
        buyer.signIn(name + "-" + shortId(), null, "/event.html?id=" + event.path("eventId").asText());
        buyer.waitForText(By.id("counts-" + tier), "available");
        buyer.type(By.id("qty-" + tier), String.valueOf(quantity));
        buyer.find(By.id("reserve")).click();
        buyer.waitForText(By.id("countdown"), "expires in");
        return buyer.url().replaceAll(".*order=", "");
    }
}
