package dev.inspection.jobs.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP proxy that makes a server far away: every request waits {@code delayMs} before it is forwarded, as
 * if each round trip to the server took that much longer. It knows nothing of the protocol; a request is a burst of
 * client bytes that opens a connection or follows an answer: the first bytes on a connection, and the first the
 * client sends after the server has sent any. A request sent in several pieces is delayed once, pipelined requests
 * once per burst, and a client that waits for an interim answer (HTTP's {@code 100 Continue}) pays the delay again
 * for the body, as it would on a real network. Answers are not delayed.
 *
 * <p>Listens on a free loopback port ({@link #port()}); each connection gets a thread per direction from a cached
 * pool. {@link #requests()} counts the delayed bursts, so a test can check how many round trips a client made.
 */
public final class LatencyProxy implements AutoCloseable {

    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final long delayMs;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "latency-proxy");
        t.setDaemon(true);
        return t;
    });
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong requests = new AtomicLong();

    private LatencyProxy(ServerSocket server, String targetHost, int targetPort, long delayMs) {
        this.server = server;
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.delayMs = delayMs;
    }

    /** A proxy to {@code targetHost:targetPort} that delays each request by {@code delayMs}, accepting already. */
    public static LatencyProxy start(String targetHost, int targetPort, long delayMs) throws IOException {
        if (delayMs < 0) {
            throw new IllegalArgumentException("delayMs must be 0 or more, got " + delayMs);
        }
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        LatencyProxy proxy = new LatencyProxy(server, targetHost, targetPort, delayMs);
        proxy.threads.execute(proxy::accept);
        return proxy;
    }

    /** The loopback port clients connect to. */
    public int port() {
        return server.getLocalPort();
    }

    /** Requests forwarded so far, each delayed once: see the class comment for what counts as one. */
    public long requests() {
        return requests.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                open.add(client);
                threads.execute(() -> connect(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void connect(Socket client) {
        Socket target;
        try {
            target = new Socket(targetHost, targetPort);
            target.setTcpNoDelay(true);
            client.setTcpNoDelay(true);
        } catch (IOException e) {
            closeQuietly(client);
            return;
        }
        open.add(target);
        AtomicBoolean answered = new AtomicBoolean(true); // a fresh connection: its first bytes are a request
        AtomicInteger directions = new AtomicInteger(2);
        threads.execute(() -> pipe(client, target, answered, true, directions));
        pipe(target, client, answered, false, directions);
    }

    /**
     * Copies {@code from} to {@code to} until the end of its stream, then half-closes {@code to}; the last direction
     * to end closes both sockets. From the client, a burst after an answer waits first; from the server, any bytes
     * are an answer.
     */
    private void pipe(Socket from, Socket to, AtomicBoolean answered, boolean fromClient, AtomicInteger directions) {
        byte[] buffer = new byte[64 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                if (fromClient && answered.getAndSet(false)) {
                    requests.incrementAndGet();
                    Thread.sleep(delayMs);
                } else if (!fromClient) {
                    answered.set(true); // before the client can read the answer, so its next request sees it
                }
                out.write(buffer, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(from);
            closeQuietly(to);
        } finally {
            if (directions.decrementAndGet() == 0) {
                closeQuietly(from);
                closeQuietly(to);
            }
        }
    }

    private void closeQuietly(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** Stops accepting, closes every connection and stops the threads. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        open.forEach(this::closeQuietly);
        threads.shutdownNow();
    }
}
