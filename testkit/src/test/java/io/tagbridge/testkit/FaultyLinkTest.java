package io.tagbridge.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class FaultyLinkTest {

    private static final int MESSAGES = 20;
    private static final long DELAY_MILLIS = 50;

    @Test
    void aDelayedLinkDelaysEveryChunkBothWaysKeepsTheirOrderAndCarriesTheNextWhileOneIsOnItsWay() throws Exception {
        try (ServerSocket echo = echoServer(); FaultyLink link = new FaultyLink(echo.getLocalPort());
                Socket client = new Socket("127.0.0.1", link.port)) {
            link.delay(DELAY_MILLIS);
            link.jitter(5);
            client.setTcpNoDelay(true);
            OutputStream out = client.getOutputStream();
            DataInputStream in = new DataInputStream(client.getInputStream());
            long[] sent = new long[MESSAGES];
            long[] rtt = new long[MESSAGES];
            Thread reader = new Thread(() -> {
                try {
                    for (int i = 0; i < MESSAGES; i++) {
                        assertThat(in.readInt()).as("message %d, in order", i).isEqualTo(i);
                        rtt[i] = System.nanoTime() - sent[i];
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            reader.start();
            long start = System.nanoTime();
            for (int i = 0; i < MESSAGES; i++) {
                sent[i] = System.nanoTime();
                out.write(new byte[] { 0, 0, 0, (byte) i });
                out.flush();
                Thread.sleep(5); // separate chunks, as separate requests would be
            }
            reader.join(10_000);
            long all = System.nanoTime() - start;

            for (int i = 0; i < MESSAGES; i++) {
                assertThat(rtt[i]).as("round trip of message %d", i)
                        .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(2 * DELAY_MILLIS));
            }
            assertThat(all).as("all round trips: a delay line, not one delay after another")
                    .isLessThan(TimeUnit.MILLISECONDS.toNanos(MESSAGES * DELAY_MILLIS));
        }
    }

    @Test
    void eachRequestSentAfterAnAnswerCountsAsOneRoundTrip() throws Exception {
        try (ServerSocket echo = echoServer(); FaultyLink link = new FaultyLink(echo.getLocalPort());
                Socket client = new Socket("127.0.0.1", link.port)) {
            OutputStream out = client.getOutputStream();
            DataInputStream in = new DataInputStream(client.getInputStream());
            for (int i = 0; i < 5; i++) {
                out.write(new byte[] { 0, 0, 0, (byte) i });
                out.flush();
                assertThat(in.readInt()).isEqualTo(i);
            }

            assertThat(link.roundTrips()).isEqualTo(5);
        }
    }

    @Test
    void connectionsWaitingForAnAnswerAreCountedTogetherOnlyWhenTheyOverlap() throws Exception {
        try (ServerSocket echo = echoServer(); FaultyLink link = new FaultyLink(echo.getLocalPort());
                Socket a = new Socket("127.0.0.1", link.port); Socket b = new Socket("127.0.0.1", link.port)) {
            link.delay(50);
            for (Socket one : new Socket[] { a, b, a }) {
                one.getOutputStream().write(new byte[] { 0, 0, 0, 7 });
                assertThat(new DataInputStream(one.getInputStream()).readInt()).isEqualTo(7);
            }
            assertThat(link.mostConnectionsWaitingAtOnce()).as("one after another").isEqualTo(1);

            a.getOutputStream().write(new byte[] { 0, 0, 0, 1 });
            b.getOutputStream().write(new byte[] { 0, 0, 0, 2 });
            assertThat(new DataInputStream(a.getInputStream()).readInt()).isEqualTo(1);
            assertThat(new DataInputStream(b.getInputStream()).readInt()).isEqualTo(2);
            assertThat(link.mostConnectionsWaitingAtOnce()).as("both on the link together").isEqualTo(2);
        }
    }

    /** Echoes what each connection sends, any number of connections. */
    private static ServerSocket echoServer() throws IOException {
        ServerSocket server = new ServerSocket(0);
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread echo = new Thread(() -> echo(s));
                    echo.setDaemon(true);
                    echo.start();
                } catch (IOException e) {
                    return; // the test is over
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return server;
    }

    private static void echo(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            s.setTcpNoDelay(true);
            byte[] buffer = new byte[4096];
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // the test is over
        }
    }
}
