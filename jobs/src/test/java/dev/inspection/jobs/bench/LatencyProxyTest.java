package dev.inspection.jobs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class LatencyProxyTest {

    /** Echoes each byte it reads, on every connection, until the server socket closes. */
    private static ServerSocket echoServer() throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread echo = new Thread(() -> {
                        try (s) {
                            s.getInputStream().transferTo(s.getOutputStream());
                        } catch (IOException e) {
                            // the client went away
                        }
                    });
                    echo.setDaemon(true);
                    echo.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        accept.setDaemon(true);
        accept.start();
        return server;
    }

    /** Sends one byte and waits for its echo; the milliseconds that took. */
    private static long roundTrip(Socket socket) throws IOException {
        long start = System.nanoTime();
        OutputStream out = socket.getOutputStream();
        out.write(42);
        out.flush();
        new DataInputStream(socket.getInputStream()).readFully(new byte[1]);
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void delaysEachRequestAndCountsIt() throws Exception {
        try (ServerSocket echo = echoServer();
                LatencyProxy proxy = LatencyProxy.start("127.0.0.1", echo.getLocalPort(), 50);
                Socket first = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
                Socket second = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            long a = roundTrip(first);
            long b = roundTrip(first);
            long c = roundTrip(second);

            assertThat(java.util.List.of(a, b, c))
                    .as("each round trip, on a kept connection and a fresh one")
                    .allSatisfy(ms -> assertThat(ms).isGreaterThanOrEqualTo(50));
            assertThat(proxy.requests()).as("requests seen").isEqualTo(3);
        }
    }

    @Test
    void bytesSentBeforeAnyAnswerAreOneRequest() throws Exception {
        try (ServerSocket echo = echoServer();
                LatencyProxy proxy = LatencyProxy.start("127.0.0.1", echo.getLocalPort(), 0);
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(new byte[] {1, 2});
            out.flush();
            new DataInputStream(socket.getInputStream()).readFully(new byte[2]);
            roundTrip(socket);

            assertThat(proxy.requests())
                    .as("a request, its answer, then another")
                    .isEqualTo(2);
        }
    }
}
