package io.tagbridge.itests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import io.tagbridge.testkit.Heard;

/**
 * Real HTTP requests against the test framework's web server, as a producer or a monitoring probe sends them:
 * anonymous by default, or with basic credentials ({@link #as}).
 */
final class Http {

    static final int PORT = 18080;

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String authorization;

    private Http(String authorization) {
        this.authorization = authorization;
    }

    /** Anonymous requests. */
    static Http anonymous() {
        return new Http(null);
    }

    /** Requests that carry these credentials. */
    static Http as(String user, String password) {
        return new Http("Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8)));
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(request(path).GET());
    }

    HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    HttpResponse<String> post(String path) throws IOException, InterruptedException {
        return send(request(path).POST(HttpRequest.BodyPublishers.noBody()));
    }

    HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return send(request(path).DELETE());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + path))
                .timeout(Duration.ofSeconds(30));
        return authorization == null ? builder : builder.header("Authorization", authorization);
    }

    /** Sends, and lets {@link Heard} hear the answer's reason codes. */
    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> answer = sendOnceMore(request.build());
        Heard.answer(answer.request().uri().getPath(), answer.body());
        return answer;
    }

    /**
     * Sends once more when the server closed the kept-alive connection just as the request went out (it answered
     * nothing, so it took nothing): the web server closes a connection after refusing a request whose body it
     * did not read, and the client may pick that connection before it notices.
     */
    private static HttpResponse<String> sendOnceMore(HttpRequest built) throws IOException, InterruptedException {
        try {
            return CLIENT.send(built, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            if (e.getMessage() == null || !e.getMessage().contains("received no bytes")) {
                throw e;
            }
            return CLIENT.send(built, HttpResponse.BodyHandlers.ofString());
        }
    }
}
