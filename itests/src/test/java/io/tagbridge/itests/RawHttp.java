package io.tagbridge.itests;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 by hand over a socket, for what a client library hides: the caller's own address (127.0.0.x), and a
 * chunked body sent one piece at a time.
 */
final class RawHttp implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;

    /** @param from the local address to send from, e.g. 127.0.0.2, so that the gateway sees another client */
    RawHttp(String from) throws IOException {
        socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        socket.connect(new InetSocketAddress("127.0.0.1", Http.PORT), 5000);
        socket.setSoTimeout(30_000);
        out = socket.getOutputStream();
    }

    /** Sends the head of a chunked POST; the body follows with {@link #chunk} and {@link #end}. */
    RawHttp startPost(String path, String authorization) throws IOException {
        write("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Authorization: " + authorization + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
        return this;
    }

    /** Sends the head of a POST that declares its length; its body follows with {@link #send}. */
    RawHttp startPost(String path, String authorization, long length) throws IOException {
        write("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Authorization: " + authorization + "\r\nContent-Length: " + length + "\r\nConnection: close\r\n\r\n");
        return this;
    }

    RawHttp send(byte[] body) throws IOException {
        out.write(body);
        out.flush();
        return this;
    }

    RawHttp chunk(String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        write(Integer.toHexString(bytes.length) + "\r\n");
        out.write(bytes);
        write("\r\n");
        return this;
    }

    RawHttp end() throws IOException {
        write("0\r\n\r\n");
        return this;
    }

    /** A whole POST with a body, then its status code. */
    int post(String path, String authorization, String body) throws IOException {
        return startPost(path, authorization).chunk(body).end().status();
    }

    /** The status code of the final answer, past any 100 Continue. */
    int status() throws IOException {
        InputStream in = socket.getInputStream();
        for (String line = line(in); line != null; line = line(in)) {
            String[] parts = line.trim().split(" ");
            if (parts.length >= 2 && parts[0].startsWith("HTTP/") && !parts[1].equals("100")) {
                return Integer.parseInt(parts[1]);
            }
        }
        throw new IOException("the connection ended without an HTTP answer");
    }

    /** One line, or null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b = in.read();
        if (b < 0) {
            return null;
        }
        for (; b >= 0 && b != '\n'; b = in.read()) {
            line.append((char) b);
        }
        return line.toString();
    }

    private void write(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
