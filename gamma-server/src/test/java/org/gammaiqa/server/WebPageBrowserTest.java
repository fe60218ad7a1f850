package org.gammaiqa.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.gammaiqa.scoring.DemoModel;
import org.gammaiqa.scoring.RuntimeOptions;
import org.gammaiqa.testing.TestAssets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The web page at {@code /} in a real headless Chromium, driven over WebDriver by Debian's chromedriver
 * (never a downloaded one): upload an image, read its score off the page, compare it with {@code /v1/score};
 * drop a file on the page;
 * then the demo-model notice, a file that is no image, one over the size limit, a service not ready, and
 * the quality-map option. Runs with {@code -Pbrowser} ({@code gamma-server/browser-check.sh}); fails,
 * never skips, when Chromium is missing.
 */
@Tag("browser")
class WebPageBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver"));

    @Test
    void scoresAnUploadedImageAsTheApiDoesAndExplainsRefusals(@TempDir Path tmp) throws Exception {
        assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
                .as("this test needs Debian's Chromium and its WebDriver at %s and %s: apt-get install chromium chromium-driver"
                        + " (or set CHROMIUM and CHROMEDRIVER)", CHROMIUM, CHROMEDRIVER).isTrue();
        ServerConfig config = ServerConfig.defaults().withAddress("127.0.0.1", 0)
                .withLimits(new ServerConfig.Limits(1 << 20, 40_000_000L, 4, 64, 64 << 20));
        GammaServer server = GammaServer.start(config);
        GammaServer loading = GammaServer.start(config);
        server.ready(DemoModel.load(RuntimeOptions.defaults()));
        // Selenium must neither look for nor download a driver or a browser: both are given here.
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + tmp.resolve("profile"), "--window-size=1100,1250");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        WebDriver browser = new ChromeDriver(service, options);
        try {
            String base = "http://127.0.0.1:" + server.address().getPort();
            browser.get(base + "/");
            waitFor(() -> browser.findElement(By.id("model")).getText().contains("gamma-demo"), "the page names the model");
            assertThat(browser.findElement(By.id("demo")).isDisplayed()).as("the demo-model notice shows").isTrue();
            assertThat(browser.findElement(By.id("demo")).getText()).contains("demo model").contains("not");

            Path image = TestAssets.fixtures().resolve("images").resolve("scene1.png");
            Path notAnImage = Files.writeString(tmp.resolve("notes.png"), "these are notes, not a picture");
            byte[] noise = new byte[2 << 20];
            new Random(1).nextBytes(noise);
            Path tooLarge = Files.write(tmp.resolve("huge.png"), noise);
            choose(browser, image);
            browser.findElement(By.id("scene")).sendKeys("aesthetic");
            browser.findElement(By.id("go")).click();
            WebElement card = waitForCard(browser, "scene1.png");
            WebElement score = card.findElement(By.className("score"));
            double onPage = Double.parseDouble(score.getAttribute("data-value"));
            HttpResponse<String> api = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/v1/score?scene=aesthetic"))
                    .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofFile(image)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode expected = JSON.readTree(api.body()).get("results").get(0);
            System.out.printf("page score %s (shown as %s), /v1/score %s, difference %.3g%n", onPage, score.getText(),
                    expected.get("score").asDouble(), Math.abs(onPage - expected.get("score").asDouble()));
            assertThat(onPage).isCloseTo(expected.get("score").asDouble(), org.assertj.core.data.Offset.offset(1e-6));
            assertThat(score.getText()).isEqualTo(String.format("%.4f", expected.get("score").asDouble()));
            List<WebElement> levels = card.findElements(By.className("level"));
            assertThat(levels).hasSize(5);
            for (int i = 0; i < 5; i++) {
                assertThat(levels.get(i).getText()).isEqualTo(String.format("%.1f%%", 100 * expected.get("levels").get(i).asDouble()));
            }
            assertThat(card.getText()).contains("scene aesthetic").contains("gamma-demo (demo model)");
            Files.write(Path.of("target", "web-page.png"), ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

            // dragging a file onto the drop zone scores it at once (a PNG drawn in the page stands for the file)
            ((JavascriptExecutor) browser).executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    const canvas = document.createElement("canvas");
                    canvas.width = 300; canvas.height = 240;
                    const g = canvas.getContext("2d");
                    g.fillStyle = "#3a7"; g.fillRect(0, 0, 300, 240); g.fillStyle = "#fd4"; g.fillRect(60, 50, 120, 90);
                    canvas.toBlob(blob => {
                      const data = new DataTransfer();
                      data.items.add(new File([blob], "dropped.png", {type: "image/png"}));
                      document.getElementById("drop").dispatchEvent(new DragEvent("drop", {dataTransfer: data, bubbles: true, cancelable: true}));
                      done();
                    }, "image/png");
                    """);
            WebElement dropped = waitForCard(browser, "dropped.png");
            assertThat(Double.parseDouble(dropped.findElement(By.className("score")).getAttribute("data-value"))).isBetween(0.0, 1.0);

            choose(browser, notAnImage);
            browser.findElement(By.id("go")).click();
            assertThat(waitForCard(browser, "notes.png").findElement(By.className("outcome")).getText())
                    .contains("not a readable image").contains("cannot decode");
            choose(browser, tooLarge);
            browser.findElement(By.id("go")).click();
            assertThat(waitForCard(browser, "huge.png").findElement(By.className("outcome")).getText()).contains("Too large").contains("1048576");

            ((JavascriptExecutor) browser).executeScript("document.getElementById('map').checked = true");
            choose(browser, image);
            browser.findElement(By.id("go")).click();
            waitFor(() -> !browser.findElements(By.cssSelector(".result img.map")).isEmpty(), "the quality map");
            WebElement map = browser.findElement(By.cssSelector(".result img.map"));
            waitFor(() -> ((Number) ((JavascriptExecutor) browser).executeScript("return arguments[0].naturalWidth", map)).intValue() > 0,
                    "the quality map's PNG decoded by the browser");
            Files.write(Path.of("target", "web-page-errors.png"), ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

            browser.get("http://127.0.0.1:" + loading.address().getPort() + "/");
            waitFor(() -> browser.findElement(By.id("model")).getText().contains("loading model"), "the page says the model is loading");
            choose(browser, image);
            browser.findElement(By.id("go")).click();
            assertThat(waitForCard(browser, "scene1.png").findElement(By.className("outcome")).getText()).contains("busy or still starting");
        } finally {
            browser.quit();
            server.shutdown(Duration.ofSeconds(5));
            loading.shutdown(Duration.ofSeconds(1));
        }
    }

    /** Puts a file in the page's (hidden) file input, as the file chooser does. */
    private static void choose(WebDriver browser, Path file) {
        WebElement input = browser.findElement(By.id("files"));
        ((JavascriptExecutor) browser).executeScript("arguments[0].hidden = false", input);
        input.clear();
        input.sendKeys(file.toAbsolutePath().toString());
        ((JavascriptExecutor) browser).executeScript("arguments[0].hidden = true", input);
    }

    /** The newest result card for this file once it holds a score or an error. */
    private static WebElement waitForCard(WebDriver browser, String name) throws InterruptedException {
        By newest = By.cssSelector(".result:first-child");
        waitFor(() -> {
            List<WebElement> cards = browser.findElements(newest);
            return !cards.isEmpty() && name.equals(cards.get(0).getAttribute("data-name"))
                    && !cards.get(0).findElement(By.className("outcome")).getText().contains("scoring…");
        }, "a result for " + name);
        return browser.findElement(newest);
    }

    private static void waitFor(Supplier<Boolean> condition, String what) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.get()) {
            assertThat(System.nanoTime() - until).as("waited 60 s for %s", what).isNegative();
            Thread.sleep(100);
        }
    }
}
