package io.tagbridge.gateway.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.tagbridge.testkit.GatewayProcess;

/**
 * The dashboard in a real browser: every asset from the gateway, plots drawn, and moving as values flow; a
 * quarantined file listed with its error, its rows paged through and the file deleted by a logged-in operator;
 * opened with the login in its URL too.
 */
class DashboardIT {

    private static final String[] PLOTS = { "written", "latency", "commit", "backlog", "refused" };

    @TempDir
    Path workDir;

    /** A file an earlier run of the gateway quarantined: 60 rows the database refused, with its error beside it. */
    private static final String QUARANTINED = "quarantine/default/backup_20261129_101500.csv";
    private static final String ERROR = "ORA-12899: value too large for column \"TAG_VALUES\".\"STR_VALUE\"";

    private static boolean click(WebElement row, String button) {
        row.findElement(By.xpath(".//button[text()='" + button + "']")).click();
        return true;
    }

    @Test
    void theDashboardDrawsMovingPlotsPagesThroughAQuarantinedFileDeletesItAndALoginInItsUrlChangesNothing()
            throws Exception {
        Path gatewayDir = workDir.resolve("gateway");
        Path quarantined = Files.createDirectories(gatewayDir.resolve("backup/quarantine/default"))
                .resolve("backup_20261129_101500.csv");
        StringBuilder rows = new StringBuilder("tag_name,source_time,value_type,value,quality,received_time\n"
                + "# reason: " + ERROR + "\n");
        for (int i = 0; i < 60; i++) {
            rows.append("line1.note").append(i).append(",2026-11-29T10:15:00Z,s,text ").append(i)
                    .append(",192,2026-11-29T10:15:00.000120Z\n");
        }
        Files.writeString(quarantined, rows);
        Files.writeString(quarantined.resolveSibling(quarantined.getFileName() + ".error"), ERROR);
        try (GatewayProcess gateway = new GatewayProcess(gatewayDir).start();
                Browser browser = new Browser(workDir.resolve("chromium"))) {
            gateway.awaitGet("/api/buffer/writer/metrics/history", body -> body.contains("\"default\""),
                    GatewayProcess.START_TIMEOUT);

            browser.driver.get("http://127.0.0.1:" + gateway.port + "/dashboard/");
            // the page redraws its tables when what they show changes: an element found may be gone a moment later
            WebDriverWait wait = new WebDriverWait(browser.driver, Duration.ofSeconds(30));
            wait.ignoring(StaleElementReferenceException.class);
            for (String plot : PLOTS) {
                wait.until(d -> !d.findElements(By.cssSelector("#" + plot + " canvas")).isEmpty());
            }
            WebElement written = browser.driver.findElement(By.id("written"));
            wait.until(d -> Integer.parseInt(written.getDomAttribute("data-points")) >= 3);
            long first = Long.parseLong(written.getDomAttribute("data-last-second"));
            wait.until(d -> Long.parseLong(written.getDomAttribute("data-last-second")) >= first + 2);

            By file = By.cssSelector("tr[data-file='" + QUARANTINED + "']");
            assertThat(wait.until(d -> d.findElement(file)).getText()).as("the error waits for the login")
                    .contains("quarantined", "60").doesNotContain("ORA-12899");
            assertThat(browser.driver.findElement(By.id("health")).getText()).startsWith("DEGRADED · QUARANTINED");

            browser.driver.findElement(By.id("user")).sendKeys(GatewayProcess.USER);
            browser.driver.findElement(By.id("password")).sendKeys(GatewayProcess.PASSWORD, Keys.ENTER);
            wait.until(d -> d.findElement(file).getText().contains("ORA-12899"));
            wait.until(d -> click(d.findElement(file), "rows"));
            WebElement title = browser.driver.findElement(By.id("rows-title"));
            wait.until(d -> title.getText().equals(QUARANTINED + ": rows 1–50 of 60"));
            assertThat(browser.driver.findElements(By.cssSelector("#rows tbody tr"))).hasSize(50);
            assertThat(browser.driver.findElement(By.cssSelector("#rows tbody tr")).getText())
                    .contains("line1.note0", "text 0", "ORA-12899");
            browser.driver.findElement(By.id("rows-next")).click();
            wait.until(d -> title.getText().equals(QUARANTINED + ": rows 51–60 of 60"));
            assertThat(browser.driver.findElement(By.cssSelector("#rows tbody tr")).getText())
                    .contains("line1.note50");
            browser.screenshot("dashboard-quarantine");

            wait.until(d -> click(d.findElement(file), "delete"));
            wait.until(ExpectedConditions.alertIsPresent()).accept();
            wait.until(d -> d.findElement(By.id("action")).getText().contains("\"values\":60"));
            wait.until(d -> d.findElements(file).isEmpty());
            assertThat(quarantined).doesNotExist();
            wait.until(d -> d.findElement(By.id("health")).getText().startsWith("UP"));
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
