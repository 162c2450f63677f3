package io.tagbridge.gateway.smoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.tagbridge.testkit.Await;
import io.tagbridge.testkit.GatewayHttp;
import io.tagbridge.testkit.GatewayProcess;

/**
 * The gateway's doors as an operator meets them on a new gateway: a generated password instead of admin/admin,
 * HTTPS with a self-signed certificate, request bodies that cannot exhaust a small heap, and no secret in clear
 * text in any file or log the gateway writes.
 */
class SecurityIT {

    private static final String VALUES = "/api/buffer/values";
    private static final String POOL_PASSWORD = "Pool-Secret-55";
    private static final String ONE_VALUE =
            "[{\"tagName\":\"security.a\",\"sourceTime\":\"2026-01-01T00:00:00Z\",\"value\":1}]";

    @TempDir
    Path workDir;

    @Test
    void aNewGatewayGeneratesItsPasswordAndRefusesAdminAdminAndAnonymousChanges() throws Exception {
        try (GatewayProcess gateway = new GatewayProcess(workDir).withoutLogin().start()) {
            gateway.awaitGet("/api/buffer/health", body -> body.contains("\"targets\":{\"default\""),
                    GatewayProcess.START_TIMEOUT);
            Path initial = workDir.resolve("data/initial-admin-password");
            String generated = Files.readString(initial).trim();
            gateway.awaitConsole("admin", generated);

            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(initial))).isEqualTo("rw-------");
            assertThat(gateway.getAs("/system/console/bundles", "admin", "admin").statusCode()).isEqualTo(401);
            assertThat(gateway.get("/system/console/bundles").statusCode()).isEqualTo(401);
            assertThat(post(gateway, null).statusCode()).isEqualTo(401);
            assertThat(post(gateway, GatewayHttp.basic("admin", "admin")).statusCode()).isEqualTo(401);
            assertThat(post(gateway, GatewayHttp.basic("admin", generated)).statusCode()).isEqualTo(200);
            assertThat(gateway.log()).contains("initial-admin-password").doesNotContain(generated);

            gateway.configure("io.tagbridge.security.cfg", "password=Operator-Chose-This-1\n");
            gateway.awaitGet("/api/buffer/health", body -> !Files.exists(initial), Duration.ofSeconds(30));
            assertThat(gateway.getAs("/system/console/bundles", "admin", "Operator-Chose-This-1").statusCode())
                    .isEqualTo(200);
            assertThat(gateway.getAs("/system/console/bundles", "admin", generated).statusCode()).isEqualTo(401);
            assertNoFileShows(List.of("Operator-Chose-This-1", generated));
        }
    }

    @Test
    void theConsoleClosesWhileTheLoginBundleIsStoppedEvenToAdminAdminAndOpensAgainWithIt() throws Exception {
        try (GatewayProcess gateway = new GatewayProcess(workDir).start()) {
            gateway.awaitConsole();
            long security = gateway.bundleId("io.tagbridge.security");

            gateway.shell("stop " + security);
            // A request that meets the console while it unregisters gets Felix HTTP's 500; then it is gone.
            gateway.await("the console to close", () -> gateway.getAs("/system/console/bundles",
                    GatewayProcess.USER, GatewayProcess.PASSWORD), answer -> answer.statusCode() == 404,
                    Duration.ofSeconds(30));

            assertThat(gateway.getAs("/system/console/bundles", "admin", "admin").statusCode()).isEqualTo(404);
            assertThat(gateway.get("/system/console/bundles").statusCode()).isEqualTo(404);
            gateway.shell("start " + security);
            gateway.awaitConsole();
        }
    }

    @Test
    void httpsWithASelfSignedCertificateTakesValuesWhilePlainHttpIsOff() throws Exception {
        String storePassword = "Keystore-Secret-77";
        Path keystore = workDir.resolve("gateway.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "tagbridge", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12", "-keystore",
                keystore.toString(), "-storepass", storePassword).redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
        int plainPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            plainPort = probe.getLocalPort();
        }

        try (GatewayProcess gateway = new GatewayProcess(workDir)) {
            gateway.configure("org.apache.felix.http.cfg", "org.apache.felix.http.enable=false\n"
                    + "org.osgi.service.http.port=" + plainPort + "\n"
                    + "org.apache.felix.https.enable=true\n"
                    + "org.osgi.service.http.port.secure=" + gateway.port + "\n"
                    + "org.apache.felix.http.host=127.0.0.1\n"
                    + "org.apache.felix.https.keystore=" + keystore + "\n"
                    + "org.apache.felix.https.keystore.password=" + storePassword + "\n"
                    + "org.apache.felix.https.keystore.key.password=" + storePassword + "\n")
                    .configure("io.tagbridge.oracle.pool-leak.cfg", "name=leak\nurl=jdbc:oracle:thin:@//127.0.0.1:1/LEAK"
                            + "\nusername=leak_user\npassword=" + POOL_PASSWORD + "\nconnectTimeoutSeconds=1\n")
                    .configure("io.tagbridge.writer-leak.cfg", "name=leak\ndataSource.target=(name=leak)\n"
                            + "retryMax=0\n")
                    .start();
            HttpClient https = HttpClient.newBuilder().sslContext(trusting(keystore, storePassword))
                    .connectTimeout(Duration.ofSeconds(5)).build();
            URI values = URI.create("https://127.0.0.1:" + gateway.port + VALUES);

            HttpResponse<String> posted = awaitAnswer(gateway, () -> https.send(HttpRequest.newBuilder(values)
                    .header("Content-Type", "application/json")
                    .header("Authorization", GatewayHttp.basic(GatewayProcess.USER, GatewayProcess.PASSWORD))
                    .POST(HttpRequest.BodyPublishers.ofString(ONE_VALUE)).build(), HttpResponse.BodyHandlers.ofString()));

            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
            assertThat(gateway.log()).as("the web server starts once, with HTTPS from the start")
                    .containsOnlyOnce("Started Jetty").contains("HTTPS:" + gateway.port);
            assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + plainPort + VALUES)).build(), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(ConnectException.class);
            List<String> secrets = List.of(storePassword, GatewayProcess.PASSWORD, POOL_PASSWORD);
            String health = awaitAnswer(gateway, () -> {
                HttpResponse<String> answer = https.send(signedIn(gateway, "/api/buffer/health"),
                        HttpResponse.BodyHandlers.ofString());
                return answer.body().contains("\"leak\":{\"status\":\"DOWN\"") ? answer : null;
            }).body();
            String metrics = https.send(signedIn(gateway, "/api/buffer/writer/metrics"),
                    HttpResponse.BodyHandlers.ofString()).body();
            String backups = https.send(signedIn(gateway, "/api/buffer/backups"), HttpResponse.BodyHandlers.ofString())
                    .body();
            assertThat(health).contains("\"error\":");
            for (String answer : List.of(health, metrics, backups)) {
                assertThat(answer).doesNotContain(secrets);
            }
            assertNoFileShows(secrets);
        }
    }

    @Test
    void theConsolesPagesAndScrInfoShowAPoolPasswordOnlySealed() throws Exception {
        try (GatewayProcess gateway = new GatewayProcess(workDir)) {
            gateway.configure("io.tagbridge.oracle.pool-leak.cfg", "name=leak\nurl=jdbc:oracle:thin:@//127.0.0.1:1/LEAK"
                    + "\nusername=leak_user\npassword=" + POOL_PASSWORD + "\nconnectTimeoutSeconds=1\n").start()
                    .awaitConsole();
            // What the console's form loads to show the pool's configuration (a POST without "apply" reads it).
            String configPage = gateway.await("the pool's configuration as the console's form loads it",
                    () -> gateway.postForm("/system/console/configMgr/io.tagbridge.oracle.pool~leak", ""),
                    answer -> answer.statusCode() == 200 && answer.body().contains("leak_user"),
                    GatewayProcess.START_TIMEOUT).body();
            String components = gateway.getAs("/system/console/components", GatewayProcess.USER,
                    GatewayProcess.PASSWORD).body();
            gateway.shellUntil("scr:info io.tagbridge.pool.PoolComponent", "scr:info's answer in the log",
                    log -> log.contains("leak_user") && log.contains("ENC("), Duration.ofSeconds(60));

            assertThat(configPage).doesNotContain(POOL_PASSWORD);
            assertThat(components).doesNotContain(POOL_PASSWORD);
            assertThat(gateway.log()).as("scr:info's answer").doesNotContain(POOL_PASSWORD);
        }
    }

    @Test
    void fourSixtyMegabytePostsOnA128MegabyteHeapGet413AndTheGatewayKeepsWriting() throws Exception {
        try (GatewayProcess gateway = new GatewayProcess(workDir).start("-Xmx128m")) {
            String before = gateway.awaitGet("/api/buffer/writer/metrics",
                    body -> !body.contains("\"writeSuccessCount\":0,"), GatewayProcess.START_TIMEOUT);
            List<Socket> posts = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    posts.add(startSixtyMegabytePost(gateway.port));
                }
                for (Socket post : posts) {
                    assertThat(statusLine(post)).as("the answer, with 64 KB of 60 MB sent; " + gateway.log())
                            .contains(" 413 ");
                }
            } finally {
                for (Socket post : posts) {
                    post.close();
                }
            }
            long successes = successes(before);
            gateway.awaitGet("/api/buffer/writer/metrics", body -> successes(body) > successes + 5,
                    Duration.ofSeconds(30));
            assertThat(gateway.awaitGet("/api/buffer/health", body -> true, Duration.ofSeconds(10)))
                    .contains("\"status\":\"UP\"");
            assertThat(gateway.log()).doesNotContain("OutOfMemoryError");
        }
    }

    /** Opens a logged-in POST of values and sends its head, with the given framing header. */
    private static Socket startPost(int port, String framing) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        socket.getOutputStream().write(("POST " + VALUES + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nAuthorization: "
                + GatewayHttp.basic(GatewayProcess.USER, GatewayProcess.PASSWORD) + "\r\n" + framing
                + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        return socket;
    }

    /** The head of a 60 MB POST and its first 64 KB, sent as a producer would before it looks for an answer. */
    private static Socket startSixtyMegabytePost(int port) throws IOException {
        Socket socket = startPost(port, "Content-Length: " + 60L * 1024 * 1024);
        OutputStream out = socket.getOutputStream();
        byte[] spaces = new byte[64 * 1024];
        Arrays.fill(spaces, (byte) ' ');
        out.write(spaces);
        out.flush();
        return socket;
    }

    /** The final status line of the answer, past any 100 Continue. */
    private static String statusLine(Socket socket) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                StandardCharsets.ISO_8859_1));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.startsWith("HTTP/1.1 ") && !line.startsWith("HTTP/1.1 100")) {
                return line + " ";
            }
        }
        return "no answer";
    }

    @Test
    void requestsBeyondTheFourBeingReadAreAskedToComeBack() throws Exception {
        try (GatewayProcess gateway = new GatewayProcess(workDir).start()) {
            gateway.awaitGet("/api/buffer/health", body -> body.contains("\"targets\":{\"default\""),
                    GatewayProcess.START_TIMEOUT);
            // The health answers before the login runs; until it does, every POST is refused at once (503,
            // Retry-After 5) instead of being read, and the stalled ones below would hold nothing.
            Await.until("the first authenticated POST accepted", Duration.ofSeconds(30),
                    () -> post(gateway, GatewayHttp.basic(GatewayProcess.USER, GatewayProcess.PASSWORD)),
                    first -> first.statusCode() == 200);
            List<Socket> stalled = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    stalled.add(startStalledPost(gateway.port));
                }
                HttpResponse<String> busy = Await.until("a fifth request asked to come back", Duration.ofSeconds(30),
                        () -> post(gateway, GatewayHttp.basic(GatewayProcess.USER, GatewayProcess.PASSWORD)),
                        answer -> answer.statusCode() == 503,
                        () -> "stalled: " + answersSoFar(stalled) + " log: " + gateway.log());
                assertThat(busy.headers().firstValue("Retry-After")).hasValue("1");
                for (Socket post : stalled) {
                    OutputStream out = post.getOutputStream();
                    out.write(chunk("\"2026-01-01T00:00:00Z\",\"value\":1}]"));
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    assertThat(statusLine(post)).contains(" 200 ");
                }
                assertThat(post(gateway, GatewayHttp.basic(GatewayProcess.USER, GatewayProcess.PASSWORD))
                        .statusCode()).isEqualTo(200);
            } finally {
                for (Socket post : stalled) {
                    post.close();
                }
            }
        }
    }

    private static List<String> answersSoFar(List<Socket> sockets) throws IOException {
        List<String> answers = new ArrayList<>();
        for (Socket socket : sockets) {
            socket.setSoTimeout(100);
            byte[] head = new byte[200];
            try {
                int n = socket.getInputStream().read(head);
                answers.add(n < 0 ? "closed" : new String(head, 0, n, StandardCharsets.ISO_8859_1));
            } catch (java.net.SocketTimeoutException none) {
                answers.add("none");
            }
        }
        return answers;
    }

    /** A chunked POST whose first value stops half-way, so that the gateway waits reading it. */
    private static Socket startStalledPost(int port) throws IOException {
        Socket socket = startPost(port, "Transfer-Encoding: chunked");
        OutputStream out = socket.getOutputStream();
        out.write(chunk("[{\"tagName\":\"security.busy\",\"sourceTime\":"));
        out.flush();
        return socket;
    }

    private static byte[] chunk(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        byte[] head = (Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = Arrays.copyOf(head, head.length + bytes.length + 2);
        System.arraycopy(bytes, 0, all, head.length, bytes.length);
        all[all.length - 2] = '\r';
        all[all.length - 1] = '\n';
        return all;
    }

    private static long successes(String metrics) {
        try {
            return new ObjectMapper().readTree(metrics).get("writeSuccessCount").asLong();
        } catch (IOException notJson) {
            return -1;
        }
    }

    private HttpResponse<String> post(GatewayProcess gateway, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port + VALUES))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(ONE_VALUE));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Waits for an HTTPS answer from the web server, once it is up and the REST API is there. */
    private static HttpResponse<String> awaitAnswer(GatewayProcess gateway, Callable<HttpResponse<String>> call)
            throws Exception {
        return gateway.await("an answer over HTTPS", call,
                answer -> answer.statusCode() != 404 && answer.statusCode() != 503, GatewayProcess.START_TIMEOUT);
    }

    private static HttpRequest signedIn(GatewayProcess gateway, String path) {
        return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + gateway.port + path))
                .header("Authorization", GatewayHttp.basic(GatewayProcess.USER, GatewayProcess.PASSWORD)).build();
    }

    /** Trusts exactly the gateway's own certificate, as an operator's client would after importing it. */
    private static SSLContext trusting(Path keystore, String password) throws Exception {
        KeyStore own = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(keystore.toFile())) {
            own.load(in, password.toCharArray());
        }
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("gateway", own.getCertificate("tagbridge"));
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    /**
     * No secret in clear text in any file the gateway wrote or read: its log, its etc files (sealed when read),
     * ConfigAdmin's store, the journal, backups. Only the key itself is secret, and it is no password.
     */
    private void assertNoFileShows(List<String> secrets) throws Exception {
        Await.until("no file with a secret in clear text", Duration.ofSeconds(30), () -> filesShowing(secrets),
                List::isEmpty);
    }

    private List<String> filesShowing(List<String> secrets) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(workDir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                for (String secret : secrets) {
                    if (text.contains(secret)) {
                        found.add(workDir.relativize(file) + " shows " + secret);
                    }
                }
            }
        }
        return found;
    }
}
