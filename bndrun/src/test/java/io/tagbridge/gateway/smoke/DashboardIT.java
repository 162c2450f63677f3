package io.tagbridge.gateway.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.tagbridge.testkit.GatewayProcess;

/**
 * The dashboard in a real browser: every asset from the gateway, plots drawn, and moving as values flow; opened
 * with the login in its URL too.
 */
class DashboardIT {

    private static final String[] PLOTS = { "written", "latency", "commit", "backlog", "refused" };

    @TempDir
    Path workDir;

    @Test
    void theDashboardDrawsItsPlotsTheyMoveAsValuesAreWrittenAndALoginInItsUrlChangesNothing() throws Exception {
        try (GatewayProcess gateway = new GatewayProcess(workDir.resolve("gateway")).start();
                Browser browser = new Browser(workDir.resolve("chromium"))) {
            gateway.awaitGet("/api/buffer/writer/metrics/history", body -> body.contains("\"default\""),
                    GatewayProcess.START_TIMEOUT);

            browser.driver.get("http://127.0.0.1:" + gateway.port + "/dashboard/");
            WebDriverWait wait = new WebDriverWait(browser.driver, Duration.ofSeconds(30));
            for (String plot : PLOTS) {
                wait.until(d -> !d.findElements(By.cssSelector("#" + plot + " canvas")).isEmpty());
            }
            WebElement written = browser.driver.findElement(By.id("written"));
            wait.until(d -> Integer.parseInt(written.getDomAttribute("data-points")) >= 3);
            long first = Long.parseLong(written.getDomAttribute("data-last-second"));
            wait.until(d -> Long.parseLong(written.getDomAttribute("data-last-second")) >= first + 2);

            assertThat(browser.driver.findElement(By.id("health")).getText()).startsWith("UP");
            assertThat(browser.driver.findElement(By.cssSelector("#targets tbody")).getText()).contains("default",
                    "WRITING");
            assertThat(browser.driver.findElement(By.id("written")).findElement(By.className("u-legend"))
                    .getText()).contains("total", "default");
            browser.screenshot("dashboard");

            // As an operator who keeps the login in a bookmark: the page's requests must not carry it in their URL.
            browser.driver.get("http://" + GatewayProcess.USER + ":" + GatewayProcess.PASSWORD + "@127.0.0.1:"
                    + gateway.port + "/dashboard/");
            WebElement again = browser.driver.findElement(By.id("written"));
            wait.until(d -> again.getDomAttribute("data-points") != null
                    && Integer.parseInt(again.getDomAttribute("data-points")) >= 1);
            wait.until(d -> d.findElement(By.id("health")).getText().startsWith("UP"));
            assertThat(browser.driver.findElement(By.id("advice")).getText()).doesNotContain("does not answer");
        }
    }
}
