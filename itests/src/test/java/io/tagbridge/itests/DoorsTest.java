package io.tagbridge.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tagbridge.api.security.Gatekeeper;
import io.tagbridge.testkit.Await;
import io.tagbridge.testkit.GatewayHttp;

/**
 * The REST doors, with real HTTP: changes need the login, monitoring is open unless switched, guessing is slowed
 * down, and no request can exhaust the gateway's memory or end its writing.
 */
@ExtendWith(ServiceExtension.class)
class DoorsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VALUES = "/api/buffer/values";

    @InjectService
    ConfigurationAdmin cm;

    @AfterEach
    void restoreTheOperatorsLogin() throws Exception {
        Operator.logIn(cm);
    }

    private static String values(String prefix, int from, int to) {
        StringBuilder json = new StringBuilder("[");
        for (int i = from; i < to; i++) {
            json.append(i > from ? "," : "").append("{\"tagName\":\"").append(prefix).append(i % 10)
                    .append("\",\"sourceTime\":\"2026-01-01T00:00:").append(String.format("%02d", i / 10 % 60))
                    .append(".").append(String.format("%06d", i)).append("Z\",\"value\":").append(i).append('}');
        }
        return json.append(']').toString();
    }

    @Test
    void changesNeedTheLoginAndAWrongOneIsAskedForAgain() throws Exception {
        try (TestPipeline pipeline = new TestPipeline(cm)) {
            pipeline.pool("doors");
            pipeline.writer("doors", "doors", "DOORS_VALUES", Map.of());
            DataSource db = pipeline.dataSource("doors");

            HttpResponse<String> anonymous = Http.anonymous().postJson(VALUES, values("doors.a", 0, 5));
            HttpResponse<String> wrong = Http.as(Operator.USER, "admin").postJson(VALUES, values("doors.b", 0, 5));
            HttpResponse<String> replay = Http.anonymous().post("/api/buffer/backups/replay");
            HttpResponse<String> delete = Http.anonymous().delete("/api/buffer/backups/doors/backup_x.csv");
            HttpResponse<String> right = Operator.http().postJson(VALUES, values("doors.c", 0, 5));

            for (HttpResponse<String> refused : List.of(anonymous, wrong, replay, delete)) {
                assertThat(refused.statusCode()).as(refused.request().method() + " " + refused.request().uri())
                        .isEqualTo(401);
                assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                        h -> assertThat(h).startsWith("Basic realm=\"Tagbridge\""));
            }
            assertThat(right.statusCode()).isEqualTo(200);
            Await.until("the logged-in values only", TestPipeline.TIMEOUT,
                    () -> TestPipeline.rows(db, "DOORS_VALUES"), n -> n == 5);
            assertThat(Http.anonymous().get("/api/buffer/health").statusCode()).as("monitoring stays open")
                    .isIn(200, 503);
            assertThat(Http.anonymous().get("/api/buffer/writer/metrics").statusCode()).isEqualTo(200);
            assertThat(Http.anonymous().get("/metrics").statusCode()).as("Prometheus scrapes freely").isEqualTo(200);
        }
    }

    @Test
    void withoutTheLoginBundleEveryRequestIsRefusedWith503SayingWhatToStart() throws Exception {
        Operator.logIn(cm);
        Bundle security = Stream.of(FrameworkUtil.getBundle(DoorsTest.class).getBundleContext().getBundles())
                .filter(b -> b.getSymbolicName().equals("io.tagbridge.security")).findFirst().orElseThrow();
        security.stop();
        try {
            HttpResponse<String> refused = Await.until("changes to be refused", TestPipeline.TIMEOUT,
                    () -> Operator.http().postJson(VALUES, values("doors.closed", 0, 1)), r -> r.statusCode() == 503);

            assertThat(refused.body()).contains("io.tagbridge.security");
            assertThat(Http.anonymous().post("/api/buffer/backups/replay").statusCode()).isEqualTo(503);
            assertThat(Http.anonymous().get("/api/buffer/writer/metrics").statusCode())
                    .as("without the login it cannot be told whether monitoring needs it").isEqualTo(503);
        } finally {
            security.start();
        }
    }

    @Test
    void aNewPasswordAppliesWithoutTheLoginServiceGoingAwaySoTheDoorsStayOpen() throws Exception {
        Operator.logIn(cm);
        BundleContext context = FrameworkUtil.getBundle(DoorsTest.class).getBundleContext();
        Object before = context.getServiceReference(Gatekeeper.class).getProperty(Constants.SERVICE_ID);
        try {
            Operator.setLogin(cm, Operator.USER, "itests-Changed-Secret-8");
            Await.until("the new password to open the doors", TestPipeline.TIMEOUT,
                    () -> Http.as(Operator.USER, "itests-Changed-Secret-8").post("/api/buffer/backups/replay")
                            .statusCode(), status -> status == 202);

            assertThat(Operator.http().post("/api/buffer/backups/replay").statusCode()).as("the old password")
                    .isEqualTo(401);
            assertThat(context.getServiceReference(Gatekeeper.class).getProperty(Constants.SERVICE_ID))
                    .as("the same login service, changed in place").isEqualTo(before);
        } finally {
            Operator.setLogin(cm, Operator.USER, Operator.PASSWORD);
        }
    }

    @Test
    void anAddressThatGuessesTooOftenWaitsWith429WhileOtherAddressesGoOn() throws Exception {
        Operator.logIn(cm);
        String right = GatewayHttp.basic(Operator.USER, Operator.PASSWORD);
        List<Integer> answers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            try (RawHttp guesser = new RawHttp("127.0.0.2")) {
                answers.add(guesser.post(VALUES, GatewayHttp.basic(Operator.USER, "guess-" + i), "[]"));
            }
        }
        try (RawHttp guesser = new RawHttp("127.0.0.2"); RawHttp other = new RawHttp("127.0.0.3")) {
            assertThat(answers).containsExactly(401, 401, 401, 401, 401, 429);
            assertThat(guesser.post(VALUES, right, "[]")).as("even the right login waits").isEqualTo(429);
            assertThat(other.post(VALUES, right, "[]")).as("another address").isEqualTo(200);
        }
    }

    @Test
    void monitoringNeedsTheLoginWhenSwitchedAndAnonymousHealthLeavesOutErrorTexts() throws Exception {
        try (TestPipeline pipeline = new TestPipeline(cm)) {
            pipeline.pool("doorsdown", "jdbc:h2:tcp://127.0.0.1:1/doors-down");
            pipeline.writer("doorsdown", "doorsdown", "DOORS_DOWN", Map.of("retryMax", 0));
            assertThat(Operator.http().postJson(VALUES, values("doors.down", 0, 1)).statusCode()).isEqualTo(200);
            String signedIn = Await.until("the target's error", TestPipeline.TIMEOUT,
                    () -> Operator.http().get("/api/buffer/health").body(),
                    b -> b.contains("\"error\":"));
            String anonymous = Http.anonymous().get("/api/buffer/health").body();

            JsonNode target = JSON.readTree(anonymous).get("targets").get("doorsdown");
            String error = JSON.readTree(signedIn).get("targets").get("doorsdown").get("error").asText();
            assertThat(error).isNotEmpty();
            assertThat(target.get("reason").asText()).isNotEmpty();
            assertThat(target.get("advice").asText()).isNotEmpty();
            assertThat(target.has("error")).isFalse();
            assertThat(anonymous).doesNotContain(error);

            TestPipeline.update(cm.getConfiguration(Operator.SECURITY_PID, "?"),
                    Map.of("monitoringNeedsCredentials", true));
            Await.until("monitoring to need the login", TestPipeline.TIMEOUT,
                    () -> Http.anonymous().get("/api/buffer/health").statusCode(), s -> s == 401);
            assertThat(Http.anonymous().get("/api/buffer/writer/metrics").statusCode()).isEqualTo(401);
            assertThat(Operator.http().get("/api/buffer/writer/metrics").statusCode()).isEqualTo(200);
            assertThat(Http.anonymous().get("/metrics").statusCode()).as("Prometheus' endpoint too").isEqualTo(401);
            assertThat(Operator.http().get("/metrics").body()).contains("tagbridge_values_accepted_total");
        }
    }

    @Test
    void bodiesTooLargeAreRefusedBeforeTheyAreReadAndTheGatewayKeepsWriting() throws Exception {
        try (TestPipeline pipeline = new TestPipeline(cm)) {
            pipeline.pool("doorsbig");
            pipeline.writer("doorsbig", "doorsbig", "DOORS_BIG", Map.of());
            DataSource db = pipeline.dataSource("doorsbig");
            String right = GatewayHttp.basic(Operator.USER, Operator.PASSWORD);
            List<RawHttp> declared = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    declared.add(new RawHttp("127.0.0.1").startPost(VALUES, right, 60L * 1024 * 1024)
                            .send(new byte[64 * 1024]));
                }
                for (RawHttp post : declared) {
                    assertThat(post.status()).as("60 MB declared, 64 KB sent").isEqualTo(413);
                }
            } finally {
                for (RawHttp post : declared) {
                    post.close();
                }
            }
            int chunked;
            try (RawHttp post = new RawHttp("127.0.0.1")) {
                chunked = post.post(VALUES, right, longValues(2100));
            }
            HttpResponse<String> tooMany = Operator.http().postJson(VALUES, values("doors.many", 0, 10_001));
            HttpResponse<String> fine = Operator.http().postJson(VALUES, values("doors.fine", 0, 100));

            assertThat(chunked).as("a chunked body of 2.1 MB, counted while it streams").isEqualTo(413);
            assertThat(tooMany.statusCode()).isEqualTo(400);
            assertThat(tooMany.body()).contains("more than 10000 values");
            assertThat(fine.statusCode()).isEqualTo(200);
            Await.until("the values sent after the big bodies", TestPipeline.TIMEOUT,
                    () -> TestPipeline.rows(db, "DOORS_BIG"), n -> n == 100);
        }
    }

    /** About {@code kilobytes} KB of values with long text, so that the size limit comes before the count limit. */
    private static String longValues(int kilobytes) {
        String value = "{\"tagName\":\"doors.big\",\"sourceTime\":\"2026-01-01T00:00:00Z\",\"value\":\""
                + "x".repeat(1000) + "\"}";
        StringBuilder json = new StringBuilder("[").append(value);
        for (int i = 1; i < kilobytes; i++) {
            json.append(',').append(value);
        }
        return json.append(']').toString();
    }
}
