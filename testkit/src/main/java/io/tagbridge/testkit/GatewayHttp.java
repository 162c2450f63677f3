package io.tagbridge.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * Real HTTP requests to a gateway's web server, as a producer, a monitoring probe or an operator sends them:
 * anonymous, or with basic credentials ({@link #as}). Every answer goes to {@link Heard}, so that a reason code counts
 * as received whichever test asked. Instances derived from one another share one client and its connections.
 */
public final class GatewayHttp {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient client;
    private final URI base;
    private final String authorization;
    private final Duration timeout;

    private GatewayHttp(HttpClient client, URI base, String authorization, Duration timeout) {
        this.client = client;
        this.base = base;
        this.authorization = authorization;
        this.timeout = timeout;
    }

    /** Anonymous requests to {@code http://127.0.0.1:<port>}, connecting within 5 s and answered within 30 s. */
    public static GatewayHttp local(int port) {
        return local(port, CONNECT_TIMEOUT);
    }

    /** Anonymous requests to {@code http://127.0.0.1:<port>}, answered within 30 s, on a client of their own. */
    public static GatewayHttp local(int port, Duration connectTimeout) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
        return new GatewayHttp(client, URI.create("http://127.0.0.1:" + port), null, TIMEOUT);
    }

    /** The same requests, failing when not answered within {@code timeout}. */
    public GatewayHttp timeout(Duration timeout) {
        return new GatewayHttp(client, base, authorization, timeout);
    }

    /** The same requests, carrying these basic credentials. */
    public GatewayHttp as(String user, String password) {
        return new GatewayHttp(client, base, basic(user, password), timeout);
    }

    /** The Authorization header's value for these basic credentials. */
    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(request(path).GET());
    }

    /** A GET whose answer is not text, such as a download. */
    public HttpResponse<byte[]> getBytes(String path) throws IOException, InterruptedException {
        return client.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    public HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** POSTs a form, as a browser does. */
    public HttpResponse<String> postForm(String path, String form) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    public HttpResponse<String> post(String path) throws IOException, InterruptedException {
        return send(request(path).POST(HttpRequest.BodyPublishers.noBody()));
    }

    public HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return send(request(path).DELETE());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout);
        return authorization == null ? builder : builder.header("Authorization", authorization);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> answer = sendOnceMore(request.build());
        Heard.answer(answer.request().uri().getPath(), answer.body());
        return answer;
    }

    /**
     * Sends once more when the server closed the kept-alive connection just as the request went out (it answered
     * nothing, so it took nothing): the web server closes a connection after refusing a request whose body it
     * did not read, and the client may pick that connection before it notices.
     */
    private HttpResponse<String> sendOnceMore(HttpRequest built) throws IOException, InterruptedException {
        try {
            return client.send(built, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            if (e.getMessage() == null || !e.getMessage().contains("received no bytes")) {
                throw e;
            }
            return client.send(built, HttpResponse.BodyHandlers.ofString());
        }
    }
}
