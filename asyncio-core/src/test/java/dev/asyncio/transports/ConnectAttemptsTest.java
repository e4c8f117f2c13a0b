package dev.asyncio.transports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.asyncio.Asyncio;
import dev.asyncio.EventLoop;
import dev.asyncio.TaskGroupException;
import dev.asyncio.streams.StreamConnection;
import dev.asyncio.streams.StreamReader;
import dev.asyncio.streams.Streams;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code create_connection}'s options on loopback ({@link ConnectionOptions}, {@link ConnectAttempts}):
 * Happy Eyeballs, interleave, {@code local_addr}, {@code all_errors}, {@code sock=}. Refused attempts
 * go to a port that was just free.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConnectAttemptsTest {
    private static final InetAddress V4 = InetAddress.getLoopbackAddress();

    private static InetSocketAddress v4(int port) {
        return new InetSocketAddress(V4, port);
    }

    private static InetSocketAddress v6(int port) throws IOException {
        return new InetSocketAddress(InetAddress.getByName("::1"), port);
    }

    /** A port nobody listens on: bound, then closed, so a connection to it is refused. */
    private static int refusedPort() throws IOException {
        try (ServerSocketChannel s = ServerSocketChannel.open()) {
            s.bind(v4(0));
            return ((InetSocketAddress) s.getLocalAddress()).getPort();
        }
    }

    private static boolean hasIpv6Loopback() {
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.INET6)) {
            s.bind(v6(0));
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Answers one line with itself, then closes. */
    private static Server lineEchoServer() throws IOException {
        return Streams.startServer((r, w) -> {
            w.write(r.readline());
            w.drain();
            w.close();
        }, "127.0.0.1", 0);
    }

    private static int port(Server server) {
        return ((InetSocketAddress) server.addresses().get(0)).getPort();
    }

    @Test
    void interleaveAlternatesFamiliesAsAsyncio() throws IOException {
        InetSocketAddress a4 = v4(1), b4 = v4(2), c4 = v4(3), a6 = v6(1), b6 = v6(2);
        List<InetSocketAddress> in = List.of(a4, b4, c4, a6, b6);
        assertEquals(in, ConnectAttempts.interleave(in, 0), "0: the resolver's order");
        assertEquals(List.of(a4, a6, b4, b6, c4), ConnectAttempts.interleave(in, 1));
        assertEquals(List.of(a4, b4, a6, c4, b6), ConnectAttempts.interleave(in, 2));
        assertEquals(List.of(a6, a4, b6, b4, c4), ConnectAttempts.interleave(List.of(a6, a4, b6, b4, c4), 1),
                "the first address's family leads");
        assertEquals(List.of(a4, b4, c4), ConnectAttempts.interleave(List.of(a4, b4, c4), 1), "one family: unchanged");
        assertEquals(List.of(a4, b4, c4, a6, b6), ConnectAttempts.interleave(in, 9), "more than the first family");
    }

    @Test
    void effectiveInterleaveFollowsAsyncioDefaults() {
        assertEquals(0, ConnectionOptions.DEFAULT.effectiveInterleave());
        assertEquals(1, ConnectionOptions.DEFAULT.withHappyEyeballsDelay(Duration.ofMillis(250)).effectiveInterleave());
        assertEquals(0, ConnectionOptions.DEFAULT.withHappyEyeballsDelay(Duration.ZERO).withInterleave(0)
                .effectiveInterleave());
        assertThrows(IllegalArgumentException.class, () -> ConnectionOptions.DEFAULT.withInterleave(-1));
        assertThrows(IllegalArgumentException.class, () -> ConnectionOptions.DEFAULT.withTls(null, "example.com"));
    }

    @Test
    void happyEyeballsSkipsARefusedAddress() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = Transports.createServer(() -> new TransportsTest.Recorder(loop, false), "127.0.0.1", 0);
            ConnectionOptions options = ConnectionOptions.DEFAULT.withHappyEyeballsDelay(Duration.ofMillis(250));
            Connection<TransportsTest.Recorder> c = Transports.createConnection(
                    () -> new TransportsTest.Recorder(loop, false), List.of(v4(refusedPort()), v4(port(server))), options);
            assertEquals(v4(port(server)), c.transport().getExtraInfo("peername"));
            assertEquals(List.of("made"), c.protocol().events);
            c.transport().close();
            server.close();
            return null;
        });
    }

    @Test
    void happyEyeballsConnectsOverEitherFamily() {
        assumeTrue(hasIpv6Loopback(), "no ::1 on this machine");
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = Transports.createServer(() -> new TransportsTest.Recorder(loop, false), "::1", 0);
            ConnectionOptions options = ConnectionOptions.DEFAULT.withHappyEyeballsDelay(Duration.ZERO);
            // Interleaved: the refused IPv4 address, then the listening IPv6 one, then the other IPv4 one.
            Connection<TransportsTest.Recorder> c = Transports.createConnection(() -> new TransportsTest.Recorder(loop,
                    false), List.of(v4(refusedPort()), v4(refusedPort()), v6(port(server))), options);
            assertEquals(v6(port(server)), c.transport().getExtraInfo("peername"));
            c.transport().close();
            server.close();
            return null;
        });
    }

    @Test
    void happyEyeballsClosesTheLosersSockets() {
        // With no delay both attempts run at once and both may connect: the loser's socket must be
        // closed (cancelled mid-connect, or closed by the race after it connected), so exactly one
        // connection stays open on the server.
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            List<TransportsTest.Recorder> accepted = new ArrayList<>();
            Server server = recordingServer(loop, accepted);
            InetSocketAddress good = v4(port(server));
            Connection<TransportsTest.Recorder> c = Transports.createConnection(
                    () -> new TransportsTest.Recorder(loop, false), List.of(good, good, good),
                    ConnectionOptions.DEFAULT.withHappyEyeballsDelay(Duration.ZERO));
            c.transport().write("x".getBytes(StandardCharsets.UTF_8));
            while (accepted.stream().noneMatch(r -> r.data.size() == 1)) { // the winner's byte arrived
                Asyncio.sleep(0.001);
            }
            for (int i = 0; i < 5000 && openOnServer(accepted) > 1; i++) { // losers' closes arrive too
                Asyncio.sleep(0.001);
            }
            assertEquals(1, openOnServer(accepted), "open server-side connections of " + accepted.size());
            c.transport().close();
            server.close();
            return null;
        });
    }

    /** A server on 127.0.0.1 that adds each accepted connection's protocol to {@code accepted}. */
    private static Server recordingServer(EventLoop loop, List<TransportsTest.Recorder> accepted) throws IOException {
        return Transports.createServer(() -> {
            TransportsTest.Recorder r = new TransportsTest.Recorder(loop, false);
            accepted.add(r);
            return r;
        }, "127.0.0.1", 0);
    }

    private static long openOnServer(List<TransportsTest.Recorder> accepted) {
        return accepted.stream().filter(r -> !r.lost.isDone()).count();
    }

    @Test
    void allErrorsRaisesEveryAttemptsError() {
        for (Duration delay : new Duration[] {null, Duration.ofMillis(250)}) {
            TaskGroupException e = assertThrows(TaskGroupException.class, () -> Asyncio.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                return Transports.createConnection(() -> new TransportsTest.Recorder(loop, false),
                        List.of(v4(refusedPort()), v4(refusedPort())),
                        ConnectionOptions.DEFAULT.withAllErrors(true).withHappyEyeballsDelay(delay));
            }));
            assertEquals(2, e.exceptions().size(), "delay " + delay);
            e.exceptions().forEach(x -> assertInstanceOf(ConnectException.class, x));
            assertTrue(e.getMessage().startsWith("create_connection failed"), e.getMessage());
        }
    }

    @Test
    void withoutAllErrorsTheSameErrorIsRaisedOnce() {
        IOException e = assertThrows(IOException.class, () -> Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            return Transports.createConnection(() -> new TransportsTest.Recorder(loop, false),
                    List.of(v4(refusedPort()), v4(refusedPort())), ConnectionOptions.DEFAULT);
        }));
        assertInstanceOf(ConnectException.class, e, "all say the same: the first is raised as it is");
    }

    @Test
    void differentErrorsAreNamedTogether() {
        assumeTrue(hasIpv6Loopback(), "no ::1 on this machine");
        // The IPv6 attempt has no local address of its family: a different error than the refused IPv4 one.
        IOException e = assertThrows(IOException.class, () -> Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            return Transports.createConnection(() -> new TransportsTest.Recorder(loop, false),
                    List.of(v4(refusedPort()), v6(refusedPort())), ConnectionOptions.DEFAULT.withLocalAddress(v4(0)));
        }));
        assertTrue(e.getMessage().startsWith("Multiple exceptions: "), e.getMessage());
        assertTrue(e.getMessage().contains("no matching local address with family=INET6 found"), e.getMessage());
        assertEquals(2, e.getSuppressed().length);
        assertInstanceOf(ConnectException.class, e.getSuppressed()[0]);
    }

    @Test
    void localAddressIsBoundBeforeConnecting() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            List<TransportsTest.Recorder> accepted = new ArrayList<>();
            Server server = recordingServer(loop, accepted);
            int localPort = refusedPort();
            Connection<TransportsTest.Recorder> c = Transports.createConnection(
                    () -> new TransportsTest.Recorder(loop, false), "127.0.0.1", port(server),
                    ConnectionOptions.DEFAULT.withLocalAddress(v4(localPort)));
            assertEquals(v4(localPort), c.transport().getExtraInfo("sockname"));
            while (accepted.isEmpty() || accepted.get(0).transport == null) { // until its connectionMade ran
                Asyncio.sleep(0.001);
            }
            assertEquals(v4(localPort), accepted.get(0).transport.getExtraInfo("peername"));
            c.transport().close();
            server.close();
            return null;
        });
    }

    @Test
    void aConnectedSocketBecomesAStream() {
        String echoed = Asyncio.run(() -> {
            Server server = lineEchoServer();
            SocketChannel sock = SocketChannel.open(v4(port(server))); // connected, blocking: made non-blocking
            StreamConnection c = Streams.openConnection(sock, null, null);
            c.writer().write("hi\n".getBytes(StandardCharsets.UTF_8));
            String line = new String(c.reader().readline(), StandardCharsets.UTF_8);
            assertTrue(!sock.isBlocking());
            c.writer().close();
            server.close();
            return line;
        });
        assertEquals("hi\n", echoed);
    }

    @Test
    void anUnconnectedSocketIsRefused() throws IOException {
        try (SocketChannel sock = SocketChannel.open()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Asyncio.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                return Transports.createConnection(() -> new TransportsTest.Recorder(loop, false), sock, null, null);
            }));
            assertTrue(e.getMessage().contains("connected"), e.getMessage());
        }
    }

    @Test
    void openConnectionTakesTheOptions() {
        String echoed = Asyncio.run(() -> {
            Server server = lineEchoServer();
            StreamConnection c = Streams.openConnection("127.0.0.1", port(server),
                    ConnectionOptions.DEFAULT.withHappyEyeballsDelay(Duration.ofMillis(250)), StreamReader.DEFAULT_LIMIT);
            c.writer().write("he\n".getBytes(StandardCharsets.UTF_8));
            String line = new String(c.reader().readline(), StandardCharsets.UTF_8);
            c.writer().close();
            server.close();
            return line;
        });
        assertEquals("he\n", echoed);
    }
}
