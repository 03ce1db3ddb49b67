package dev.ticketing.standalone;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
    /** axe-core's browser script; the build fetches it with npm (deploy/pom.xml) and names it here. */
    private static final String AXE_SCRIPT = System.getProperty("axe.script", "target/axe-core/node_modules/axe-core/axe.min.js");
    /** The axe-core rules of WCAG 2.0 and 2.1, levels A and AA. */
    private static final List<String> WCAG_AA = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa");
    private static String axeSource;

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

    /** A page of its own, not the service's (to show that the checks below find faults). */
    void openHtml(String html) {
        driver.get("data:text/html;charset=utf-8," + URLEncoder.encode(html, StandardCharsets.UTF_8).replace("+", "%20"));
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

    /**
     * What axe-core finds against WCAG 2.0/2.1 A and AA on the page as it is now: one entry per rule
     * broken (rule id, impact, help, then each element's selector and what is wrong with it). Fails
     * if the engine did not run, so an empty list always means checked and clean.
     */
    @SuppressWarnings("unchecked")
    List<String> accessibilityViolations() {
        if (!Boolean.TRUE.equals(script("return typeof window.axe === 'object'"))) {
            script(axeSource());
        }
        Map<String, Object> result = (Map<String, Object>) driver.executeAsyncScript("""
                const [tags, done] = arguments;
                axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
                  .then(r => done({
                    engine: r.testEngine.name + ' ' + r.testEngine.version,
                    rules: r.passes.length + r.violations.length + r.incomplete.length + r.inapplicable.length,
                    violations: r.violations.map(v => `${v.id} (${v.impact}): ${v.help} [${v.helpUrl}]`
                        + v.nodes.map(n => `\n    ${n.target.join(' ')}: `
                            + [...n.any, ...n.all, ...n.none].map(c => c.message).join('; ')).join('')),
                  }))
                  .catch(e => done({ error: String(e && e.stack || e) }));""", WCAG_AA);
        assertThat(result.get("error")).as("axe-core failed").isNull();
        assertThat((String) result.get("engine")).as("the engine that ran").startsWith("axe-core ");
        assertThat((Long) result.get("rules")).as("rules run").isPositive();
        return (List<String>) result.get("violations");
    }

    private static synchronized String axeSource() {
        if (axeSource == null) {
            Path script = Path.of(AXE_SCRIPT);
            assertThat(script).as("axe-core's script (npm fetches it in generate-test-resources: run the tests "
                    + "through Maven, with npm on the PATH)").isRegularFile();
            try {
                axeSource = Files.readString(script);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return axeSource;
    }

    /**
     * Where Tab took keyboard focus from the top of the page, where it could not be seen, and what
     * it never reached of what should take focus.
     */
    record FocusWalk(List<String> reached, List<String> invisible, List<String> missed) {
    }

    /**
     * Presses Tab from the top of the page until focus leaves it or comes round again, and checks
     * each element it lands on (axe-core does not): focused, it must have an outline (style not
     * none, width above 0) or a box shadow that it lacks unfocused, in a colour with a contrast of
     * at least 3:1 against what is around it (WCAG 1.4.11, non-text contrast).
     */
    @SuppressWarnings("unchecked")
    FocusWalk walkFocus() {
        // focus a node at the start of the body and take it away: the next Tab starts from there
        script("""
                document.activeElement?.blur();
                window.scrollTo(0, 0);
                const start = document.createElement('span');
                start.tabIndex = -1;
                document.body.prepend(start);
                start.focus({ preventScroll: true });
                start.remove();
                window.focusReached = new WeakSet();
                window.focusFirst = null;""");
        List<String> reached = new ArrayList<>();
        List<String> invisible = new ArrayList<>();
        for (int presses = 0; presses < 200; presses++) {
            new Actions(driver).sendKeys(Keys.TAB).perform();
            Map<String, Object> seen = (Map<String, Object>) script(FOCUS_INDICATOR);
            if (seen == null || Boolean.TRUE.equals(seen.get("first"))) {
                return new FocusWalk(reached, invisible, (List<String>) script(UNREACHED));
            }
            if (Boolean.TRUE.equals(seen.get("again"))) {
                continue; // a stop inside the same control (the fields of a date input)
            }
            reached.add((String) seen.get("element"));
            if (seen.get("problem") != null) {
                invisible.add(seen.get("element") + ": " + seen.get("problem"));
            }
        }
        throw new AssertionError("Tab did not leave the page after 200 presses (a keyboard trap?): " + reached);
    }

    /** Shown, enabled elements in the tab order (one radio button a group) that the walk did not reach. */
    private static final String UNREACHED = """
            const candidates = [...document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]')]
                .filter(e => e.tabIndex >= 0 && !e.matches(':disabled') && e.type !== 'hidden'
                             && e.checkVisibility({ visibilityProperty: true }));
            const radios = name => candidates.filter(e => e.type === 'radio' && e.name === name);
            return candidates
                .filter(e => e.type !== 'radio' || !e.name || e === (radios(e.name).find(r => r.checked) || radios(e.name)[0]))
                .filter(e => !window.focusReached.has(e))
                .map(e => e.outerHTML.slice(0, 120));""";

    /** The focused element's indicator, compared with the same element blurred; null when nothing is focused. */
    private static final String FOCUS_INDICATOR = """
            const el = document.activeElement;
            if (!el || el === document.body || el === document.documentElement) return null;
            if (el === window.focusFirst) return { first: true };
            if (window.focusReached.has(el)) return { again: true };
            window.focusFirst ??= el;
            window.focusReached.add(el);
            const text = (el.getAttribute('aria-label') || el.textContent || el.value || el.name || '').trim().replace(/\\s+/g, ' ');
            const element = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                + (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
                + (el.type && el.tagName === 'INPUT' ? `[type=${el.type}]` : '') + (el.value && el.type === 'radio' ? `[value=${el.value}]` : '')
                + (text ? ` "${text.slice(0, 40)}"` : '');
            const look = () => {
              const s = getComputedStyle(el);
              return { outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`, outlineStyle: s.outlineStyle,
                       outlineWidth: parseFloat(s.outlineWidth), outlineOffset: parseFloat(s.outlineOffset) || 0,
                       outlineColor: s.outlineColor, boxShadow: s.boxShadow };
            };
            const focused = look();
            el.blur();
            const unfocused = look();
            el.focus({ preventScroll: true });

            const rgba = c => {
              const m = /rgba?\\(([^)]+)\\)/.exec(c || '');
              if (!m) return null;
              const [r, g, b, a = 1] = m[1].split(/[\\s,/]+/).filter(Boolean).map(Number);
              return { r, g, b, a };
            };
            const over = (top, below) => ({ r: top.r * top.a + below.r * (1 - top.a), g: top.g * top.a + below.g * (1 - top.a),
                                           b: top.b * top.a + below.b * (1 - top.a), a: 1 });
            // the colour an element shows: its own background over its ancestors' (white under all)
            const background = node => {
              const layers = [];
              for (let n = node; n && n.nodeType === 1; n = n.parentElement) {
                const c = rgba(getComputedStyle(n).backgroundColor);
                if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
              }
              return layers.reduceRight((below, top) => over(top, below), { r: 255, g: 255, b: 255, a: 1 });
            };
            const luminance = c => {
              const lin = v => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
              return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
            };
            const contrast = (a, b) => {
              const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
              return (hi + 0.05) / (lo + 0.05);
            };
            // what is just outside the element where the indicator is drawn: the lowest contrast of the four sides
            const around = gap => {
              const r = el.getBoundingClientRect();
              const points = [[r.left - gap, r.top + r.height / 2], [r.right + gap, r.top + r.height / 2],
                              [r.left + r.width / 2, r.top - gap], [r.left + r.width / 2, r.bottom + gap]];
              const found = points.filter(([x, y]) => x >= 0 && y >= 0 && x < innerWidth && y < innerHeight)
                  .map(([x, y]) => document.elementsFromPoint(x, y).find(n => n !== el && !el.contains(n)))
                  .filter(Boolean).map(background);
              return found.length ? found : [background(el.parentElement || el)];
            };

            const hasOutline = focused.outlineStyle !== 'none' && focused.outlineWidth > 0;
            const hasShadow = focused.boxShadow !== 'none';
            if (!hasOutline && !hasShadow) return { element, problem: 'no focus indicator (no outline, no box-shadow)' };
            if (focused.outline === unfocused.outline && focused.boxShadow === unfocused.boxShadow) {
              return { element, problem: `looks the same focused and not (outline ${focused.outline}, box-shadow ${focused.boxShadow})` };
            }
            const color = rgba(hasOutline && focused.outline !== unfocused.outline ? focused.outlineColor : focused.boxShadow);
            // 'auto' is the browser's own two-tone ring, drawn to be seen on any background
            if (!color || (hasOutline && focused.outlineStyle === 'auto')) return { element };
            const gap = hasOutline ? Math.max(0, focused.outlineOffset) + focused.outlineWidth / 2 : 1;
            const worst = Math.min(...around(gap).map(bg => contrast(over(color, bg), bg)));
            return worst >= 3 ? { element }
                : { element, problem: `focus indicator contrast ${worst.toFixed(2)}:1 against its surroundings, below 3:1 `
                                      + `(outline ${focused.outline}, box-shadow ${focused.boxShadow})` };
            """;

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
