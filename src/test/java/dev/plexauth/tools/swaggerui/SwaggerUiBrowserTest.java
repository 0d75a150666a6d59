package dev.plexauth.tools.swaggerui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Swagger UI in real headless Chromium (Debian's {@code chromium} and {@code chromedriver}, which
 * {@code scripts/ensure-chromium} installs): the page, both operations, and "Try it out" against
 * the embedded stand-in on another loopback port, through its CORS preflights.
 *
 * <p>Never skipped: without Chromium it fails and says how to install it. Selenium Manager is
 * never asked for anything, since the driver's path is given to the service and the browser's to
 * the options, so nothing is downloaded.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class SwaggerUiBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SCREENSHOT = Path.of("target/swagger-ui.png");
  /**
   * Quiets "Unable to find CDP implementation matching N": this test uses WebDriver only, never
   * the DevTools protocol, so Selenium needs no CDP bindings for Debian's Chromium. Held in a
   * field because java.util.logging keeps loggers weakly.
   */
  private static final Logger CDP_VERSION_FINDER =
      Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");
  private static final String TOKEN_OPERATION = "#operations-Security-getTransientToken";
  private static final String RESOURCES_OPERATION = "#operations-Security-getSourceConnectionInformation";

  private SwaggerUiServer server;
  private Path profile;
  private ChromeDriver browser;
  private WebDriverWait wait;

  @BeforeAll
  void startServerAndBrowser() throws Exception {
    CDP_VERSION_FINDER.setLevel(Level.SEVERE);
    assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        CHROMIUM + " and " + CHROMEDRIVER + " are needed: run scripts/ensure-chromium (as root)"
            + " or apt-get install -y chromium chromium-driver");
    server = SwaggerUiServer.start(Path.of("openapi/plex-auth.yaml"), 0, 0);
    profile = Files.createTempDirectory("swagger-ui-chromium-");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort()
        .build();
    ChromeOptions options = new ChromeOptions()
        .setBinary(CHROMIUM.toFile())
        // --no-sandbox: Chromium's sandbox refuses to run as root, which CI is.
        .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile,
            "--window-size=1280,1500");
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
    browser = new ChromeDriver(service, options);
    wait = new WebDriverWait(browser, Duration.ofSeconds(15));
  }

  @AfterAll
  void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
    if (profile != null) {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  @BeforeEach
  void openThePage() {
    severeConsoleEntries(); // Each test sees only what its own page logged.
    browser.get(server.uiUrl());
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(RESOURCES_OPERATION)));
  }

  @Test
  void pageLoadsWithoutConsoleErrorsAndListsTheStandInFirst() {
    assertEquals(List.of(), severeConsoleEntries(), "console errors while loading the page");
    Select servers = new Select(browser.findElement(By.cssSelector(".servers select")));
    assertEquals(server.standInUrl(), servers.getFirstSelectedOption().getAttribute("value"));
    assertTrue(browser.findElement(By.cssSelector(".info .title")).getText()
        .startsWith("Plex Media Server authentication"));
  }

  @Test
  void bothOperationsShowTheirParametersAndEnumValues() {
    expand(TOKEN_OPERATION);
    assertEquals("GET", text(TOKEN_OPERATION + " .opblock-summary-method"));
    assertEquals("/security/token", text(TOKEN_OPERATION + " .opblock-summary-path"));
    assertParameter(TOKEN_OPERATION, "type", true, "string", "(query)", "Available values : delegation");
    assertParameter(TOKEN_OPERATION, "scope", true, "string", "(query)", "Available values : all");

    expand(RESOURCES_OPERATION);
    assertEquals("/security/resources", text(RESOURCES_OPERATION + " .opblock-summary-path"));
    assertParameter(RESOURCES_OPERATION, "source", true, "string", "(query)", "server://");
    assertParameter(RESOURCES_OPERATION, "refresh", false, "integer", "(query)", "Available values : 0, 1");
    assertEquals(List.of(), severeConsoleEntries());
  }

  @Test
  void tryItOutWithTheOwnerTokenMintsATransientTokenAndAWrongTokenGets401() throws Exception {
    authorize(server.standIn().ownerToken());
    expand(TOKEN_OPERATION);
    click(TOKEN_OPERATION + " .try-out__btn");
    new Select(parameter(TOKEN_OPERATION, "type").findElement(By.tagName("select")))
        .selectByVisibleText("delegation");
    new Select(parameter(TOKEN_OPERATION, "scope").findElement(By.tagName("select")))
        .selectByVisibleText("all");
    click(TOKEN_OPERATION + " .execute");

    assertEquals("200", liveStatus());
    String body = text(TOKEN_OPERATION + " .live-responses-table .response-col_description pre");
    assertTrue(body.matches("(?s).*\"token\": \"transient-[0-9a-f-]{36}\".*"), body);
    assertTrue(text(TOKEN_OPERATION + " .curl-command").contains("-H 'accept: application/json'"));
    assertEquals(List.of(), severeConsoleEntries(), "console errors during a successful call");
    saveScreenshotDownToSecondOperation();

    authorize("not-a-plex-token");
    click(TOKEN_OPERATION + " .btn-clear");
    wait.until(ExpectedConditions.invisibilityOfElementLocated(
        By.cssSelector(TOKEN_OPERATION + " .live-responses-table")));
    click(TOKEN_OPERATION + " .execute");

    assertEquals("401", liveStatus());
    // Chromium reports every 4xx answer on the console; that one, and nothing else, is expected.
    List<String> errors = awaitSevereConsoleEntries();
    assertEquals(1, errors.size(), errors.toString());
    assertTrue(errors.get(0).contains(server.standInUrl() + "/security/token")
        && errors.get(0).contains("401"), errors.toString());
  }

  /**
   * Saves the page from its top down to the second operation, so that the picture shows the
   * stand-in server, the call and its answer, and both operations: the window grows to that
   * height for the shot (a screenshot covers the viewport only), then shrinks back.
   */
  private void saveScreenshotDownToSecondOperation() throws Exception {
    Dimension window = browser.manage().window().getSize();
    browser.executeScript("window.scrollTo(0, 0)");
    long chrome = window.getHeight() - (Long) browser.executeScript("return window.innerHeight");
    WebElement last = browser.findElement(By.cssSelector(RESOURCES_OPERATION));
    int bottom = last.getRect().getY() + last.getRect().getHeight() + 16;
    browser.manage().window().setSize(new Dimension(window.getWidth(), bottom + (int) chrome));
    try {
      Files.createDirectories(SCREENSHOT.getParent());
      Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOT,
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      browser.manage().window().setSize(window);
    }
  }

  /** Logs out of the Authorize dialog if need be, then logs in with {@code token}. */
  private void authorize(String token) {
    click(".auth-wrapper .authorize");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".auth-container")));
    By logout = By.xpath("//div[contains(@class,'auth-btn-wrapper')]/button[text()='Logout']");
    if (!browser.findElements(logout).isEmpty()) {
      browser.findElement(logout).click();
    }
    WebElement input = wait.until(
        ExpectedConditions.elementToBeClickable(By.cssSelector(".auth-container input")));
    input.sendKeys(token);
    click(".auth-btn-wrapper .modal-btn.authorize");
    click(".auth-btn-wrapper .btn-done");
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(".dialog-ux")));
  }

  /** Waits for the call's answer (after Clear, no older one is shown) and returns its status. */
  private String liveStatus() {
    return text(TOKEN_OPERATION + " .live-responses-table tbody .response-col_status").strip();
  }

  /** Waits until the console has logged at least one SEVERE entry, and returns them all. */
  private List<String> awaitSevereConsoleEntries() {
    List<String> seen = new ArrayList<>();
    wait.until(driver -> seen.addAll(severeConsoleEntries()) || !seen.isEmpty());
    return seen;
  }

  private void expand(String operation) {
    WebElement block = browser.findElement(By.cssSelector(operation));
    if (!block.getAttribute("class").contains("is-open")) {
      click(operation + " .opblock-summary-control");
    }
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(operation + " .parameters")));
  }

  private void assertParameter(String operation, String name, boolean required, String... shown) {
    WebElement row = parameter(operation, name);
    assertEquals(required, !row.findElements(By.cssSelector(".parameter__name.required")).isEmpty(),
        name + " required");
    String text = row.getText();
    for (String expected : shown) {
      assertTrue(text.contains(expected), name + " should show " + expected + ": " + text);
    }
  }

  private WebElement parameter(String operation, String name) {
    return browser.findElement(By.cssSelector(operation + " tr[data-param-name='" + name + "']"));
  }

  private void click(String css) {
    wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(css))).click();
  }

  private String text(String css) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css))).getText();
  }

  /** Returns (and drains) the browser console's SEVERE entries since the last call. */
  private List<String> severeConsoleEntries() {
    return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .collect(Collectors.toList());
  }
}
