package io.tagbridge.itests;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy between the pool and a database server that a test can break: it can hang (forward nothing, close
 * nothing), cut every connection, slow every chunk down, or let a transaction's commit through and lose its answer.
 *
 * <p>Losing the answer of a commit reads a little of H2's protocol: a client message that begins with the
 * command code 20 sends a JDBC batch, and the next message that begins with code 3 (execute update) after it is the
 * commit. That message is forwarded, the server's answer is dropped, and the connection is cut.
 */
final class FaultyLink implements AutoCloseable {

    enum Mode { PASS, HANG, LOSE_COMMIT_ANSWER }

    private static final int BATCH_UPDATE = 20;
    private static final int EXECUTE_UPDATE = 3;

    final int port;
    private final int serverPort;
    private final ServerSocket listener;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger commitAnswersLost = new AtomicInteger();
    private volatile Mode mode = Mode.PASS;
    private volatile long delayMillis;
    private volatile boolean closed;

    FaultyLink(int serverPort) throws IOException {
        this.serverPort = serverPort;
        this.listener = new ServerSocket();
        listener.bind(new InetSocketAddress("127.0.0.1", 0));
        this.port = listener.getLocalPort();
        Thread accept = new Thread(this::accept, "faulty-link-accept");
        accept.setDaemon(true);
        accept.start();
    }

    /** A JDBC URL for the H2 server behind the link. */
    String url(String database) {
        return "jdbc:h2:tcp://127.0.0.1:" + port + "/" + database
                + ";MODE=Oracle;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0";
    }

    void mode(Mode next) {
        mode = next;
    }

    /** Each chunk in each direction waits this long before it is forwarded. */
    void delay(long millis) {
        delayMillis = millis;
    }

    /** Cuts every connection at once, as a pulled cable would when the peer notices. */
    void cutAll() {
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        sockets.clear();
    }

    int commitAnswersLost() {
        return commitAnswersLost.get();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket("127.0.0.1", serverPort);
                sockets.add(client);
                sockets.add(server);
                Pair pair = new Pair(client, server);
                start(() -> pair.pump(client, server, true), "faulty-link-up");
                start(() -> pair.pump(server, client, false), "faulty-link-down");
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    /** One proxied connection, with what it knows of the protocol. */
    private final class Pair {
        private final Socket client;
        private final Socket server;
        private volatile boolean batchSeen;
        private volatile boolean dropAnswers;

        Pair(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void pump(Socket from, Socket to, boolean up) {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    while (mode == Mode.HANG && !closed) {
                        Thread.sleep(50);
                    }
                    if (delayMillis > 0) {
                        Thread.sleep(delayMillis);
                    }
                    if (up && mode == Mode.LOSE_COMMIT_ANSWER && n >= 4) {
                        int code = ((buffer[0] & 0xff) << 24) | ((buffer[1] & 0xff) << 16) | ((buffer[2] & 0xff) << 8)
                                | (buffer[3] & 0xff);
                        if (code == BATCH_UPDATE) {
                            batchSeen = true;
                        } else if (code == EXECUTE_UPDATE && batchSeen) {
                            dropAnswers = true;
                            out.write(buffer, 0, n);
                            out.flush();
                            Thread.sleep(300);
                            commitAnswersLost.incrementAndGet();
                            mode = Mode.PASS;
                            closeQuietly(client);
                            closeQuietly(server);
                            return;
                        }
                    }
                    if (!up && dropAnswers) {
                        continue;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // The other side went away, or the test cut the link.
            } finally {
                closeQuietly(client);
                closeQuietly(server);
            }
        }
    }

    private static void start(Runnable task, String name) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // Already closed.
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        cutAll();
    }
}
