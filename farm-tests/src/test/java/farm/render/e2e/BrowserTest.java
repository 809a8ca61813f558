package farm.render.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The artist's page in real headless Chromium (Debian's chromium and chromium-driver) against the real local
 * stack: sign up, upload the Cornell box, see its summary, thumbnail and estimate, launch a tiny job, watch it
 * finish, approve the watermarked frame and download it; create, copy and revoke an API token; sign out and in.
 * Screenshots go to target/screenshots (and to docs/screenshots with -Dfarm.update-screenshots=true);
 * any console error fails the test.
 */
@ExtendWith(SharedFarm.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserTest {
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    static final String PASSWORD = "artist password 1";

    ChromeDriver driver;
    final String artist = "artist-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    boolean signedUp;
    Path screenshots;
    Path downloads;
    Path profile;

    @BeforeAll
    void startBrowser() throws Exception {
        assumeTrue(Files.isExecutable(CHROMEDRIVER), "the browser tests need Debian's chromium-driver: apt-get install chromium chromium-driver");
        screenshots = Files.createDirectories(Path.of("target", "screenshots")).toAbsolutePath();
        downloads = Files.createTempDirectory("farm-downloads");
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,1000", "--user-data-dir=" + (profile = Files.createTempDirectory("farm-chromium")));
        options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
                "download.prompt_for_download", false));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingOptions", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
        driver = new ChromeDriver(service, options);
        driver.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow", "downloadPath", downloads.toString()));
    }

    @AfterAll
    void stopBrowser() throws Exception {
        if (driver != null) {
            driver.quit();
        }
        for (Path scratch : new Path[]{downloads, profile}) {
            if (scratch != null) {
                SharedFarm.deleteTree(scratch);
            }
        }
    }

    /** Every test fails on any error the page logged to the console (scripts, failed requests, CSP, …). */
    @AfterEach
    void noConsoleErrors(org.junit.jupiter.api.TestInfo test) throws Exception {
        if (driver == null) {
            return;
        }
        shot("last-" + test.getTestMethod().map(java.lang.reflect.Method::getName).orElse("test"), false);
        List<LogEntry> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
        assertThat(errors).as("browser console errors").isEmpty();
    }

    /** Opens the page signed in: the first time by signing up in the browser, as a new artist does. */
    private void openSignedIn() throws Exception {
        driver.get(SharedFarm.url() + "/");
        if (!signedUp) {
            awaitUi(Duration.ofSeconds(30)).until(() -> driver.findElement(By.id("sign-up-form")).isDisplayed());
            assertThat(driver.findElement(By.id("page-new")).isDisplayed()).as("the app waits for a signed-in artist").isFalse();
            shot("sign-in");
            type("sign-up-name", artist);
            type("sign-up-password", PASSWORD);
            driver.findElement(By.id("sign-up")).click();
            signedUp = true;
        }
        awaitUi(Duration.ofSeconds(30)).alias("signed in; the page says: " + text("account-message"))
                .until(() -> text("account-name").equals(artist) && driver.findElement(By.id("page-new")).isDisplayed());
    }

    @Test
    void anArtistUploadsPricesLaunchesWatchesAndDownloads() throws Exception {
        openSignedIn();
        assertThat(driver.findElement(By.id("nav-api")).getAttribute("href")).endsWith("/q/openapi");
        Path cornell = SharedFarm.layout().sample("cornell-box/cornell-box.gltf").toAbsolutePath();
        driver.findElement(By.id("scene-file")).sendKeys(cornell.toString());

        awaitUi(Duration.ofSeconds(60)).until(() -> text("scene-valid").startsWith("Valid"));
        assertThat(text("scene-triangles")).isEqualTo("32");
        assertThat(text("scene-meshes")).isEqualTo("1");
        assertThat(text("scene-cameras")).isEqualTo("1");
        assertThat(text("scene-lights")).contains("emissive triangles");
        WebElement thumbnail = driver.findElement(By.id("scene-thumbnail"));
        awaitUi(Duration.ofSeconds(30)).until(() -> ((Number) ((JavascriptExecutor) driver)
                .executeScript("return arguments[0].complete ? arguments[0].naturalWidth : 0", thumbnail)).intValue() == 256);
        assertThat(text("scene-unsupported")).isNotBlank();
        assertThat(driver.findElement(By.id("upload-progress")).getAttribute("value")).isEqualTo("100");

        type("frames", "0");
        type("width", "64");
        type("height", "64");
        type("spp", "4");
        type("bounces", "4");
        awaitUi(Duration.ofSeconds(30)).until(() -> text("estimate-text").startsWith("About")
                && text("estimate-text").contains("64×64, 4 spp") && driver.findElement(By.id("launch")).isEnabled());
        assertThat(text("estimate-text")).contains("between").contains("escrow");
        shot("new-job");

        // a mistake in the frames shows a reason instead of a price, and launching waits for a valid form
        type("frames", "9-1");
        awaitUi(Duration.ofSeconds(30)).until(() -> text("estimate-text").startsWith("No price") && text("estimate-text").contains("9-1"));
        assertThat(driver.findElement(By.id("launch")).isEnabled()).isFalse();
        assertOnlyLogged("/api/v1/quotes", "400"); // the API's answer to the bad frames, shown above as the reason
        type("frames", "0");
        awaitUi(Duration.ofSeconds(30)).until(() -> driver.findElement(By.id("launch")).isEnabled());

        driver.findElement(By.id("launch")).click();
        awaitUi(Duration.ofSeconds(30)).alias("the job page opens; the page says: " + text("message"))
                .until(() -> driver.getCurrentUrl().contains("#/jobs/"));
        String jobId = driver.getCurrentUrl().substring(driver.getCurrentUrl().lastIndexOf('/') + 1);
        awaitUi(Duration.ofSeconds(30)).until(() -> !driver.findElements(By.cssSelector("#frame-0 .tile-map .tile")).isEmpty()
                || !driver.findElements(By.cssSelector("#frame-0 img")).isEmpty());
        assertThat(text("job-title")).contains(jobId);
        shot("job-running");

        awaitUi(Duration.ofMinutes(5)).until(() -> text("job-state").equals("completed"));
        WebElement image = driver.findElement(By.cssSelector("#frame-0 img"));
        awaitUi(Duration.ofSeconds(30)).until(() -> ((Number) ((JavascriptExecutor) driver)
                .executeScript("return arguments[0].complete ? arguments[0].naturalWidth : 0", image)).intValue() == 64);
        assertThat(text("job-frames")).startsWith("1 of 1");
        assertThat(text("job-tiles")).matches("(\\d+) of \\1");
        assertThat(text("job-eta")).isEqualTo("done");
        shot("job-done");

        // the frame shows as a watermarked preview until the artist approves it; rejected with a reason, it renders again
        assertThat(image.getAttribute("src")).endsWith("/frames/0/preview.png");
        assertThat(driver.findElements(By.cssSelector("#frame-0 a.download"))).isEmpty();
        assertThat(driver.findElement(By.id("job-zip")).isDisplayed()).as("the zip holds approved frames only").isFalse();
        driver.findElement(By.cssSelector("#frame-0 input.reject-reason")).sendKeys("too noisy in the corners");
        driver.findElement(By.cssSelector("#frame-0 button.reject")).click();
        awaitUi(Duration.ofSeconds(30)).alias("the page says: " + text("message"))
                .until(() -> text("message").contains("rendering again"));
        awaitUi(Duration.ofMinutes(5)).until(() -> text("job-state").equals("completed")
                && !driver.findElements(By.cssSelector("#frame-0 button.approve")).isEmpty());
        assertThat(driver.findElement(By.cssSelector("#frame-0 img")).getAttribute("src")).endsWith("/frames/0/preview.png");
        shot("job-rendered-again");

        // approved, it shows in full and downloads as PNG or EXR
        driver.findElement(By.cssSelector("#frame-0 button.approve")).click();
        awaitUi(Duration.ofSeconds(30)).until(() -> !driver.findElements(By.cssSelector("#frame-0 a.download")).isEmpty());
        assertThat(driver.findElement(By.cssSelector("#frame-0 img")).getAttribute("src")).endsWith("/frames/0.png");
        assertThat(driver.findElement(By.id("job-zip")).isDisplayed()).isTrue();
        shot("job-approved");
        assertThat(driver.findElement(By.cssSelector("#frame-0 a.download.exr")).getAttribute("href")).endsWith("/frames/0.exr");
        driver.findElement(By.cssSelector("#frame-0 a.download.png")).click();
        Path png = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> downloaded(".png"), p -> p != null);
        BufferedImage frame = ImageIO.read(png.toFile());
        assertThat(frame.getWidth()).isEqualTo(64);
        assertThat(frame.getHeight()).isEqualTo(64);

        driver.findElement(By.id("nav-jobs")).click();
        awaitUi(Duration.ofSeconds(30)).until(() -> !driver.findElements(By.cssSelector("a[href='#/jobs/" + jobId + "']")).isEmpty());
        WebElement row = driver.findElement(By.cssSelector("a[href='#/jobs/" + jobId + "']")).findElement(By.xpath("./ancestor::tr"));
        assertThat(row.getText()).contains("completed").contains("100%");
        shot("jobs");
    }

    @Test
    void aRunningJobIsPausedGivenAnotherPriorityAndResumedFromItsPage() throws Exception {
        openSignedIn();
        // a script of this artist's launches a job of 96 small tiles: more than the 64 sent ahead
        String token = (String) ((JavascriptExecutor) driver).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch('/api/v1/tokens', {method: 'POST', headers: {'Content-Type': 'application/json'},
                  body: JSON.stringify({name: 'pause test'})}).then(r => r.json()).then(t => done(t.token));""");
        var client = new farm.render.stack.launcher.FarmClient(SharedFarm.url(), token);
        String digest = client.uploadScene(SharedFarm.layout().sample("cornell-box/cornell-box.gltf")).path("digest").asText();
        String jobId = client.createJob(Map.of("sceneDigest", digest, "width", 32, "height", 24, "spp", 1, "tileSize", 8,
                "frames", "0-7")).path("id").asText();

        driver.get(SharedFarm.url() + "/#/jobs/" + jobId);
        awaitUi(Duration.ofSeconds(30)).until(() -> driver.findElement(By.id("job-pause")).isDisplayed());
        assertThat(text("job-priority")).isEqualTo("50");
        driver.findElement(By.id("job-pause")).click();
        awaitUi(Duration.ofSeconds(30)).until(() -> text("job-state").equals("paused") && driver.findElement(By.id("job-resume")).isDisplayed());
        assertThat(text("job-eta")).isEqualTo("paused");
        assertThat(client.job(jobId).path("state").asText()).isEqualTo("PAUSED");
        type("job-priority-value", "70");
        driver.findElement(By.id("job-priority-set")).click();
        awaitUi(Duration.ofSeconds(30)).until(() -> text("job-priority").equals("70"));
        assertThat(client.job(jobId).path("priority").asInt()).isEqualTo(70);
        shot("job-paused");

        driver.findElement(By.id("job-resume")).click();
        awaitUi(Duration.ofSeconds(30)).until(() -> text("job-state").equals("running") && driver.findElement(By.id("job-pause")).isDisplayed());
        // cancelled through the API, the page follows and the controls go
        client.cancel(jobId);
        awaitUi(Duration.ofSeconds(60)).until(() -> text("job-state").startsWith("cancelled"));
        assertThat(driver.findElement(By.id("job-controls")).isDisplayed()).isFalse();
    }

    @Test
    void aRejectedSceneShowsWhy() throws Exception {
        openSignedIn();
        Path junk = Files.writeString(downloads.resolve("broken.gltf"), "{\"asset\": ");
        // the upload's 422 is the expected answer here, not a page error: it is the only one allowed below
        driver.findElement(By.id("scene-file")).sendKeys(junk.toString());
        awaitUi(Duration.ofSeconds(60)).until(() -> text("scene-valid").startsWith("Rejected"));
        assertThat(text("message")).contains("broken.gltf was not accepted").contains("malformed");
        assertThat(driver.findElement(By.id("job-form")).isDisplayed()).isFalse();
        assertOnlyLogged("/api/v1/uploads/", "422");
    }

    @Test
    void anApiTokenIsShownOnceListedRevokedAndTheArtistSignsOutAndIn() throws Exception {
        openSignedIn();
        driver.findElement(By.id("tokens-toggle")).click();
        awaitUi(Duration.ofSeconds(10)).until(() -> driver.findElement(By.id("token-name")).isDisplayed());
        type("token-name", "render script");
        driver.findElement(By.id("token-create")).click();
        awaitUi(Duration.ofSeconds(30)).until(() -> driver.findElement(By.id("token-created")).isDisplayed());
        String token = driver.findElement(By.id("token-value")).getAttribute("value");
        assertThat(token).startsWith("rf_");
        driver.findElement(By.id("token-copy")).click();
        awaitUi(Duration.ofSeconds(10)).until(() -> text("token-copy").equals("Copied"));
        awaitUi(Duration.ofSeconds(10)).until(() -> driver.findElement(By.id("tokens-table")).getText().contains("render script"));
        awaitUi(Duration.ofSeconds(10)).until(() -> text("webhook-state").contains("no secret"));
        driver.findElement(By.id("webhook-create")).click();
        awaitUi(Duration.ofSeconds(30)).until(() -> driver.findElement(By.id("webhook-created")).isDisplayed());
        assertThat(driver.findElement(By.id("webhook-value")).getAttribute("value")).startsWith("whsec_");
        awaitUi(Duration.ofSeconds(10)).until(() -> text("webhook-state").contains("has a secret"));
        shot("api-tokens");

        // the token works for scripts, and the page never shows it again
        var client = new farm.render.stack.launcher.FarmClient(SharedFarm.url(), token);
        assertThat(client.me().path("name").asText()).isEqualTo(artist);
        driver.navigate().refresh();
        awaitUi(Duration.ofSeconds(30)).until(() -> text("account-name").equals(artist));
        driver.findElement(By.id("tokens-toggle")).click();
        awaitUi(Duration.ofSeconds(10)).until(() -> driver.findElement(By.id("tokens-table")).getText().contains("render script"));
        assertThat(driver.findElement(By.id("token-created")).isDisplayed()).isFalse();
        assertThat(driver.getPageSource()).doesNotContain(token);

        driver.findElement(By.cssSelector("#tokens-table button.revoke")).click();
        awaitUi(Duration.ofSeconds(10)).until(() -> !driver.findElement(By.id("tokens-table")).getText().contains("render script"));
        assertThatThrownBy(client::me).isInstanceOfSatisfying(farm.render.stack.launcher.FarmClient.FarmApiException.class,
                e -> assertThat(e.status()).isEqualTo(401));

        driver.findElement(By.id("sign-out")).click();
        awaitUi(Duration.ofSeconds(30)).until(() -> driver.findElement(By.id("sign-in-form")).isDisplayed());
        type("sign-in-name", artist);
        type("sign-in-password", PASSWORD);
        driver.findElement(By.id("sign-in")).click();
        awaitUi(Duration.ofSeconds(30)).until(() -> text("account-name").equals(artist) && driver.findElement(By.id("page-new")).isDisplayed());
    }

    /** Drains the console log, allowing only failed requests to {@code path} answered with {@code status}. */
    private void assertOnlyLogged(String path, String status) {
        List<LogEntry> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
        assertThat(errors).allSatisfy(e -> assertThat(e.getMessage()).contains(path).contains(status));
    }

    private Path downloaded(String suffix) throws Exception {
        try (Stream<Path> files = Files.list(downloads)) {
            return files.filter(p -> p.toString().endsWith(suffix)).findFirst().orElse(null);
        }
    }

    private String text(String id) {
        return driver.findElement(By.id(id)).getText().strip();
    }

    private void type(String id, String value) {
        WebElement input = driver.findElement(By.id(id));
        input.clear();
        input.sendKeys(value);
    }

    private org.awaitility.core.ConditionFactory awaitUi(Duration atMost) {
        return await().atMost(atMost).pollInterval(Duration.ofMillis(200)).ignoreExceptions();
    }

    private void shot(String page) throws Exception {
        shot(page, true);
    }

    private void shot(String page, boolean forDocs) throws Exception {
        File file = driver.getScreenshotAs(OutputType.FILE);
        Path target = screenshots.resolve(page + ".png");
        Files.copy(file.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        if (forDocs && Boolean.getBoolean("farm.update-screenshots")) {
            Path docs = Files.createDirectories(Path.of(System.getProperty("farm.root", "..")).resolve("docs/screenshots"));
            Files.copy(target, docs.resolve(page + ".png"), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
