package dev.ticketing.standalone;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}; other paths
 * through CHROMIUM_BINARY / CHROMEDRIVER) on the service's pages, one per person in a test. No
 * driver download: Selenium is handed the driver and the browser it is to use.
 */
final class Browser implements AutoCloseable {

    private static final String CHROMIUM = System.getenv().getOrDefault("CHROMIUM_BINARY", "/usr/bin/chromium");
    private static final String CHROMEDRIVER = System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver");
    /** Where screenshots go; the committed set under docs/screenshots is refreshed from here (see README). */
    private static final Path SCREENSHOTS = Path.of(System.getProperty("screenshots.dir", "target/screenshots"));

    private final ChromeDriver driver;
    private final String baseUrl;
    private final Path profile;

    /** A phone-sized screen (390 × 844 CSS pixels, touch): a desktop window cannot be made that narrow. */
    static Browser phone(int port) {
        return new Browser(port, 390, 844, true);
    }

    Browser(int port, int width, int height) {
        this(port, width, height, false);
    }

    private Browser(int port, int width, int height, boolean phone) {
        assertThat(Path.of(CHROMIUM)).as("Chromium for the browser tests: apt-get install chromium chromium-driver "
                + "(or set CHROMIUM_BINARY)").isExecutable();
        assertThat(Path.of(CHROMEDRIVER)).as("ChromeDriver for the browser tests: apt-get install chromium-driver "
                + "(or set CHROMEDRIVER)").isExecutable();
        try {
            profile = Files.createTempDirectory("chromium-profile");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM);
        // this machine's network is closed: without the background-networking flags Chromium keeps dialling Google
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--user-data-dir=" + profile,
                "--window-size=" + width + "," + height, "--lang=en-US");
        if (phone) {
            options.setExperimentalOption("mobileEmulation", Map.of("deviceMetrics",
                    Map.of("width", width, "height", height, "pixelRatio", 2.0, "touch", true)));
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(CHROMEDRIVER).toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        baseUrl = "http://localhost:" + port;
    }

    Browser(int port) {
        this(port, 1100, 900);
    }

    void open(String path) {
        driver.get(baseUrl + path);
    }

    /** Signs in on the sign-in page (the dev issuer) and lands on {@code next}. */
    void signIn(String name, String role, String next) {
        open("/signin.html?next=" + java.net.URLEncoder.encode(next, java.nio.charset.StandardCharsets.UTF_8));
        WebElement field = waitFor(By.cssSelector("#dev-signin:not([hidden]) #name"));
        field.sendKeys(name);
        find(By.cssSelector("#dev-signin input[name='role'][value='" + (role == null ? "" : role) + "']")).click();
        find(By.id("signin")).click();
        await(d -> d.getCurrentUrl().startsWith(baseUrl + next)); // a page may add to its query
    }

    WebElement find(By by) {
        return driver.findElement(by);
    }

    List<WebElement> findAll(By by) {
        return driver.findElements(by);
    }

    WebElement waitFor(By by) {
        return await(d -> {
            List<WebElement> found = d.findElements(by);
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        });
    }

    /** Waits until the element's text contains {@code expected}, and returns that text. */
    String waitForText(By by, String expected) {
        String[] last = {""};
        return await(d -> {
            List<WebElement> found = d.findElements(by);
            last[0] = found.isEmpty() ? "(no such element)" : found.get(0).getText();
            return last[0].contains(expected) ? last[0] : null;
        }, () -> by + " to show \"" + expected + "\", last seen: \"" + last[0] + "\"");
    }

    <T> T await(ExpectedCondition<T> condition) {
        return await(condition, () -> "a condition on " + driver.getCurrentUrl());
    }

    private <T> T await(ExpectedCondition<T> condition, java.util.function.Supplier<String> what) {
        // the pages rebuild what changed: an element read a moment ago may be gone, so look again
        return new WebDriverWait(driver, Duration.ofSeconds(20), Duration.ofMillis(100))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .withMessage(what).until(condition);
    }

    void type(By by, String text) {
        WebElement input = find(by);
        input.clear();
        input.sendKeys(text);
    }

    Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Visible form controls that a screen reader could not name (no label, no aria-label). */
    @SuppressWarnings("unchecked")
    List<String> unlabelledControls() {
        return (List<String>) script("""
                return [...document.querySelectorAll('input, select, textarea')]
                    .filter(c => c.type !== 'hidden' && c.offsetParent !== null)
                    .filter(c => c.labels.length === 0 && !c.getAttribute('aria-label') && !c.getAttribute('aria-labelledby'))
                    .map(c => c.outerHTML);""");
    }

    /** Whether the page fits the window's width (nothing to scroll sideways on a phone). */
    boolean fitsTheWidth() {
        return (Boolean) script("return document.documentElement.scrollWidth <= window.innerWidth");
    }

    String url() {
        return driver.getCurrentUrl();
    }

    /** The signed-in user's bearer token, as the pages keep it. */
    String token() {
        return (String) script("return localStorage.getItem('ticketing.token')");
    }

    void acceptConfirmation() {
        await(d -> {
            try {
                d.switchTo().alert().accept();
                return true;
            } catch (org.openqa.selenium.NoAlertPresentException e) {
                return null;
            }
        });
    }

    /** A full-page PNG (beyond the window, through Chromium's DevTools) under the screenshots directory. */
    void screenshot(String name) {
        @SuppressWarnings("unchecked")
        Map<String, Object> size = (Map<String, Object>) driver.executeCdpCommand("Page.getLayoutMetrics", Map.of())
                .get("cssContentSize");
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of(
                "format", "png", "captureBeyondViewport", true,
                // the window's width: the content size leaves out the scroll bar, which the capture drops
                "clip", Map.of("x", 0, "y", 0, "width", script("return window.innerWidth"), "height", size.get("height"),
                        "scale", 1)));
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(SCREENSHOTS.resolve(name + ".png"), Base64.getDecoder().decode((String) shot.get("data")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp profile left behind is harmless
        }
    }
}
