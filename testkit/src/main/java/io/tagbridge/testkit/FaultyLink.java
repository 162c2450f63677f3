package io.tagbridge.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy between a client and a database server that a test can break or slow down like a real link: it can
 * hang (forward nothing, close nothing), cut every connection, delay every chunk, or let a transaction's commit
 * through and lose its answer.
 *
 * <p>The delay is a delay line, as a long link is: each chunk leaves at its arrival time plus the delay (plus up to
 * the jitter), in the order it came, while later chunks are already on their way. A link 20 ms each way thus adds
 * 40 ms to a round trip but does not cap how many bytes flow.
 *
 * <p>Losing the answer of a commit reads a little of H2's protocol: a client message that begins with the command
 * code 20 sends a JDBC batch, and the next message that begins with code 3 (execute update) after it is the commit.
 * That message is forwarded, the server's answer is dropped, and the connection is cut.
 */
public final class FaultyLink implements AutoCloseable {

    /** What the link does with what it carries. */
    public enum Mode { PASS, HANG, LOSE_COMMIT_ANSWER }

    private static final int BATCH_UPDATE = 20;
    private static final int EXECUTE_UPDATE = 3;

    /** The port clients connect to. */
    public final int port;
    private final String serverHost;
    private final int serverPort;
    private final ServerSocket listener;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger commitAnswersLost = new AtomicInteger();
    private final AtomicLong roundTrips = new AtomicLong();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger mostWaiting = new AtomicInteger();
    private volatile Mode mode = Mode.PASS;
    private volatile long delayNanos;
    private volatile long jitterNanos;
    private volatile boolean closed;

    /** A link to a server on this machine. */
    public FaultyLink(int serverPort) throws IOException {
        this("127.0.0.1", serverPort);
    }

    public FaultyLink(String serverHost, int serverPort) throws IOException {
        this.serverHost = serverHost;
        this.serverPort = serverPort;
        this.listener = new ServerSocket();
        listener.bind(new InetSocketAddress("127.0.0.1", 0));
        this.port = listener.getLocalPort();
        start(this::accept, "faulty-link-accept");
    }

    /** A JDBC URL for the H2 server behind the link. */
    public String url(String database) {
        return "jdbc:h2:tcp://127.0.0.1:" + port + "/" + database
                + ";MODE=Oracle;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0";
    }

    public void mode(Mode next) {
        mode = next;
    }

    /** Each chunk in each direction arrives this much later than it was sent. */
    public void delay(long millis) {
        delayNanos = TimeUnit.MILLISECONDS.toNanos(millis);
    }

    /** Each chunk arrives up to this much later again, at random; chunks never overtake each other. */
    public void jitter(long millis) {
        jitterNanos = TimeUnit.MILLISECONDS.toNanos(millis);
    }

    /** Cuts every connection at once, as a pulled cable would when the peer notices. */
    public void cutAll() {
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        sockets.clear();
    }

    public int commitAnswersLost() {
        return commitAnswersLost.get();
    }

    /**
     * The round trips the link has carried, over all its connections: each time a client sends after it last
     * received (or first), the client waits for an answer once more. What a driver costs a long link.
     */
    public long roundTrips() {
        return roundTrips.get();
    }

    /**
     * The most connections that waited for an answer at the same time: from a client's request until the server
     * began to answer it. More than one means requests of several connections were on the link together.
     */
    public int mostConnectionsWaitingAtOnce() {
        return mostWaiting.get();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(serverHost, serverPort);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(server);
                Pair pair = new Pair(client, server);
                pair.direction(client, server, true, "faulty-link-up");
                pair.direction(server, client, false, "faulty-link-down");
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    /** A chunk on its way: its bytes, when it arrives, and whether the connection is cut once it did. */
    private record Chunk(byte[] bytes, long dueNanos, boolean cutAfter) {
    }

    /** One proxied connection, with what it knows of the protocol. */
    private final class Pair {
        private final Socket client;
        private final Socket server;
        private volatile boolean batchSeen;
        private volatile boolean dropAnswers;
        /** Whether the last chunk read went from the client to the server. */
        private volatile boolean clientSpokeLast;
        private boolean awaiting;

        Pair(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        /** One direction: a thread that reads what is sent, and one that delivers it when it is due. */
        void direction(Socket from, Socket to, boolean up, String name) {
            BlockingQueue<Chunk> line = new LinkedBlockingQueue<>();
            start(() -> read(from, line, up), name + "-read");
            start(() -> deliver(to, line), name + "-deliver");
        }

        private void read(Socket from, BlockingQueue<Chunk> line, boolean up) {
            byte[] buffer = new byte[64 * 1024];
            long lastDue = 0;
            try (InputStream in = from.getInputStream()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    while (mode == Mode.HANG && !closed) {
                        Thread.sleep(50);
                    }
                    if (up && !clientSpokeLast) {
                        roundTrips.incrementAndGet();
                    }
                    clientSpokeLast = up;
                    awaiting(up);
                    long jitter = jitterNanos > 0 ? ThreadLocalRandom.current().nextLong(jitterNanos + 1) : 0;
                    long due = Math.max(lastDue, System.nanoTime() + delayNanos + jitter);
                    lastDue = due;
                    boolean cut = up && mode == Mode.LOSE_COMMIT_ANSWER && isCommitAfterBatch(buffer, n);
                    if (cut) {
                        dropAnswers = true;
                    }
                    if (!up && dropAnswers) {
                        continue;
                    }
                    line.put(new Chunk(Arrays.copyOf(buffer, n), due, cut));
                    if (cut) {
                        return;
                    }
                }
            } catch (IOException | InterruptedException e) {
                // The other side went away, or the test cut the link.
            }
            cut();
        }

        private boolean isCommitAfterBatch(byte[] buffer, int n) {
            if (n < 4) {
                return false;
            }
            int code = ((buffer[0] & 0xff) << 24) | ((buffer[1] & 0xff) << 16) | ((buffer[2] & 0xff) << 8)
                    | (buffer[3] & 0xff);
            if (code == BATCH_UPDATE) {
                batchSeen = true;
            }
            return code == EXECUTE_UPDATE && batchSeen;
        }

        private void deliver(Socket to, BlockingQueue<Chunk> line) {
            try (OutputStream out = to.getOutputStream()) {
                while (!closed && !to.isClosed()) {
                    Chunk chunk = line.poll(100, TimeUnit.MILLISECONDS);
                    if (chunk == null) {
                        continue;
                    }
                    long wait = chunk.dueNanos() - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    out.write(chunk.bytes());
                    out.flush();
                    if (chunk.cutAfter()) {
                        Thread.sleep(300);
                        commitAnswersLost.incrementAndGet();
                        mode = Mode.PASS;
                        cut();
                        return;
                    }
                }
            } catch (IOException | InterruptedException e) {
                // The other side went away, or the test cut the link.
            }
            cut();
        }

        private synchronized void awaiting(boolean now) {
            if (now && !awaiting) {
                mostWaiting.accumulateAndGet(waiting.incrementAndGet(), Math::max);
            } else if (!now && awaiting) {
                waiting.decrementAndGet();
            }
            awaiting = now;
        }

        private void cut() {
            awaiting(false);
            closeQuietly(client);
            closeQuietly(server);
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
