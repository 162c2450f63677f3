package io.tagbridge.gateway.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tagbridge.testkit.GatewayProcess;

/**
 * The web console's configuration form in a real browser, as an operator uses it: log in, change the writer's
 * batch size, save; the gateway applies it at once, and after a restart the form and the writer still show it.
 */
class ConsoleFormIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path workDir;

    private static String form(GatewayProcess gateway) {
        return "http://" + GatewayProcess.USER + ":" + GatewayProcess.PASSWORD + "@127.0.0.1:" + gateway.port
                + "/system/console/configMgr/io.tagbridge.writer~default";
    }

    private static long batches(String metrics) {
        try {
            return JSON.readTree(metrics).get("writeSuccessCount").asLong();
        } catch (java.io.IOException notYet) {
            return -1;
        }
    }

    private static WebElement batchSize(Browser browser) {
        return new WebDriverWait(browser.driver, Duration.ofSeconds(30))
                .until(ExpectedConditions.visibilityOfElementLocated(By.name("batchSize")));
    }

    @Test
    void aBatchSizeSavedInTheFormAppliesAtOnceAndStillShowsAfterARestart() throws Exception {
        try (GatewayProcess gateway = new GatewayProcess(workDir.resolve("gateway"));
                Browser browser = new Browser(workDir.resolve("chromium"))) {
            // batches that do not grow while values wait, so that their size after the restart is the form's
            gateway.configure("io.tagbridge.writer-default.cfg", "name=default\nbatchSize=500\ncatchUpBatchSize=1\n")
                    .start();
            gateway.awaitGet("/api/buffer/writer/metrics", body -> body.contains("\"default\""),
                    GatewayProcess.START_TIMEOUT);
            gateway.awaitConsole();

            browser.driver.get(form(gateway));
            WebElement size = batchSize(browser);
            assertThat(size.getDomProperty("value")).isEqualTo("500");
            size.clear();
            size.sendKeys("100");
            browser.screenshot("configuration");
            browser.driver.findElement(By.xpath("//button[normalize-space()='Save']")).click();
            gateway.awaitGet("/api/buffer/writer/metrics", body -> gateway.logSays("batches of 100"),
                    Duration.ofSeconds(30));
            gateway.stop(Duration.ofSeconds(15));

            gateway.start();
            JsonNode metrics = JSON.readTree(gateway.awaitGet("/api/buffer/writer/metrics",
                    body -> batches(body) >= 10, GatewayProcess.START_TIMEOUT));
            assertThat(metrics.get("averageBatchSize").asDouble()).as("batches since the restart").isBetween(1.0, 100.0);
            assertThat(metrics.get("valuesRefused").asLong() + metrics.get("valuesDropped").asLong())
                    .as("nothing refused or dropped across the change and the restart").isZero();
            assertThat(metrics.get("valuesAccepted").asLong()).isEqualTo(metrics.get("valuesWritten").asLong()
                    + metrics.get("valuesAlreadyStored").asLong() + metrics.get("backlog").asLong());
            browser.driver.get(form(gateway));
            assertThat(batchSize(browser).getDomProperty("value")).as(gateway.log()).isEqualTo("100");
            assertThat(gateway.log().split("=== start 2")[1]).contains("batches of 100")
                    .doesNotContain("batches of 500");
        }
    }
}
