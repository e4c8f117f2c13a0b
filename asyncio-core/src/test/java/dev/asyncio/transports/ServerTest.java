package dev.asyncio.transports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.EventLoop;
import dev.asyncio.Future;
import dev.asyncio.Task;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code create_server}'s {@code sock=}, {@code start_serving=False}, {@code keep_alive}, and {@code async with server}. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ServerTest {

    private static int port(Server server) {
        return ((InetSocketAddress) server.addresses().get(0)).getPort();
    }

    /** A server that records its accepted protocols and completes {@code first} with the first one. */
    private static Server recording(EventLoop loop, List<TransportsTest.Recorder> accepted, ServerOptions options,
            Future<TransportsTest.Recorder> first) throws java.io.IOException {
        return Transports.createServer(() -> {
            TransportsTest.Recorder r = new TransportsTest.Recorder(loop, false);
            accepted.add(r);
            if (!first.isDone()) {
                first.setResult(r);
            }
            return r;
        }, "127.0.0.1", 0, options);
    }

    /** The accepted protocol once its connectionMade ran (it follows the factory in a later callback). */
    private static TransportsTest.Recorder made(Future<TransportsTest.Recorder> accepted) {
        TransportsTest.Recorder r = accepted.await();
        while (r.events.isEmpty()) {
            Asyncio.sleep(0.001);
        }
        return r;
    }

    @Test
    void startServingFalseWaitsForStartServing() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            List<TransportsTest.Recorder> accepted = new ArrayList<>();
            Future<TransportsTest.Recorder> first = loop.createFuture();
            Server server = recording(loop, accepted, ServerOptions.DEFAULT.withStartServing(false), first);
            assertFalse(server.isServing());
            // The kernel completes the handshake into the backlog, but nobody accepts yet.
            Connection<TransportsTest.Recorder> c = Transports.createConnection(
                    () -> new TransportsTest.Recorder(loop, false), "127.0.0.1", port(server));
            for (int i = 0; i < 20; i++) {
                Asyncio.sleep(0.001);
            }
            assertEquals(List.of(), accepted, "accepted before startServing()");
            server.startServing();
            assertTrue(server.isServing());
            first.await();
            assertEquals(1, accepted.size());
            c.transport().close();
            server.close();
            return null;
        });
    }

    @Test
    void startServingFalseNeedsOneLoop() {
        assertThrows(IllegalArgumentException.class, () -> ServerOptions.DEFAULT.withLoops(2).withStartServing(false));
        assertThrows(IllegalArgumentException.class, () -> ServerOptions.DEFAULT.withStartServing(false).withLoops(2));
    }

    @Test
    void keepAliveIsSetOnAcceptedConnections() {
        for (boolean keepAlive : new boolean[] {false, true}) {
            Asyncio.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Future<TransportsTest.Recorder> first = loop.createFuture();
                Server server = recording(loop, new ArrayList<>(), ServerOptions.DEFAULT.withKeepAlive(keepAlive), first);
                Connection<TransportsTest.Recorder> c = Transports.createConnection(
                        () -> new TransportsTest.Recorder(loop, false), "127.0.0.1", port(server));
                TransportsTest.Recorder accepted = made(first);
                SocketChannel ch = (SocketChannel) accepted.transport.getExtraInfo("socket");
                assertEquals(keepAlive, ch.getOption(StandardSocketOptions.SO_KEEPALIVE));
                c.transport().close();
                server.close();
                return null;
            });
        }
    }

    @Test
    void aBoundSocketIsServedAndClosedWithTheServer() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            ServerSocketChannel sock = ServerSocketChannel.open();
            sock.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Future<TransportsTest.Recorder> first = loop.createFuture();
            Server server = Transports.createServer(() -> {
                TransportsTest.Recorder r = new TransportsTest.Recorder(loop, false);
                first.setResult(r);
                return r;
            }, sock, ServerOptions.DEFAULT);
            assertEquals(List.of(sock), server.sockets());
            assertEquals(sock.getLocalAddress(), server.addresses().get(0));
            Connection<TransportsTest.Recorder> c = Transports.createConnection(
                    () -> new TransportsTest.Recorder(loop, false), "127.0.0.1", port(server));
            assertEquals(List.of("made"), made(first).events);
            c.transport().close();
            server.close();
            assertFalse(sock.isOpen(), "the server owns the socket");
            return null;
        });
    }

    @Test
    void aBoundUnixSocketWithKeepAliveIsServed(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        // keepAlive applies to TCP connections only: a Unix-domain connection has no SO_KEEPALIVE.
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            java.nio.file.Path path = dir.resolve("s.sock");
            ServerSocketChannel sock = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX);
            sock.bind(java.net.UnixDomainSocketAddress.of(path));
            Future<TransportsTest.Recorder> first = loop.createFuture();
            Server server = Transports.createServer(() -> {
                TransportsTest.Recorder r = new TransportsTest.Recorder(loop, false);
                first.setResult(r);
                return r;
            }, sock, ServerOptions.DEFAULT.withKeepAlive(true));
            Connection<TransportsTest.Recorder> c = Transports.createUnixConnection(
                    () -> new TransportsTest.Recorder(loop, false), path);
            assertEquals(List.of("made"), made(first).events);
            c.transport().close();
            server.close();
            return null;
        });
    }

    @Test
    void aBoundSocketServesStreams() {
        String echoed = Asyncio.run(() -> {
            ServerSocketChannel sock = ServerSocketChannel.open();
            sock.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Server server = dev.asyncio.streams.Streams.startServer((r, w) -> {
                w.write(r.readline());
                w.close();
            }, sock, ServerOptions.DEFAULT);
            dev.asyncio.streams.StreamConnection c = dev.asyncio.streams.Streams.openConnection("127.0.0.1", port(server));
            c.writer().write("sock\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            String line = new String(c.reader().readline(), java.nio.charset.StandardCharsets.UTF_8);
            c.writer().close();
            server.closeAfter(() -> { });
            return line;
        });
        assertEquals("sock\n", echoed);
    }

    @Test
    void anUnboundSocketIsRefused() throws Exception {
        try (ServerSocketChannel sock = ServerSocketChannel.open()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Asyncio.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                return Transports.createServer(() -> new TransportsTest.Recorder(loop, false), sock, ServerOptions.DEFAULT);
            }));
            assertTrue(e.getMessage().contains("bound"), e.getMessage());
        }
    }

    @Test
    void closeAfterClosesAndWaitsForTheConnections() {
        List<String> events = Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            List<String> log = new ArrayList<>();
            Future<TransportsTest.Recorder> first = loop.createFuture();
            Server server = recording(loop, new ArrayList<>(), ServerOptions.DEFAULT, first);
            Connection<TransportsTest.Recorder> c = Transports.createConnection(
                    () -> new TransportsTest.Recorder(loop, false), "127.0.0.1", port(server));
            Task<Void> closer = Asyncio.createTask(() -> {
                first.await();
                Asyncio.sleep(0.01);
                log.add("client closes");
                c.transport().close();
            });
            String value = server.closeAfter(() -> {
                log.add("body");
                return "value";
            });
            log.add("closeAfter returned " + value);
            assertTrue(closer.isDone());
            assertTrue(server.sockets().isEmpty());
            return log;
        });
        assertEquals(List.of("body", "client closes", "closeAfter returned value"), events);
    }

    @Test
    void closeAfterClosesWhenTheBodyFails() {
        Server[] server = new Server[1];
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            server[0] = recording(loop, new ArrayList<>(), ServerOptions.DEFAULT, loop.createFuture());
            server[0].closeAfter(() -> {
                throw new IllegalStateException("body failed");
            });
        }));
        assertEquals("body failed", e.getMessage());
        assertFalse(server[0].isServing());
        assertTrue(server[0].sockets().isEmpty());
    }

    @Test
    void cancellingCloseAfterKeepsTheBodysError() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<TransportsTest.Recorder> first = loop.createFuture();
            Server server = recording(loop, new ArrayList<>(), ServerOptions.DEFAULT, first);
            Connection<TransportsTest.Recorder> c = Transports.createConnection(
                    () -> new TransportsTest.Recorder(loop, false), "127.0.0.1", port(server));
            first.await();
            IllegalStateException bodyError = new IllegalStateException("body failed");
            Task<Void> t = Asyncio.createTask(() -> server.closeAfter(() -> {
                throw bodyError;
            }));
            Asyncio.sleep(0.01); // the body failed; the open connection keeps waitClosed() waiting
            assertFalse(t.isDone());
            t.cancel();
            CancelledError e = assertThrows(CancelledError.class, t::await);
            assertSame(bodyError, e.getSuppressed()[0]);
            c.transport().close();
            server.waitClosed();
            return null;
        });
    }
}
