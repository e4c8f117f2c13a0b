package dev.asyncio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The loop's low-level I/O: readiness callbacks and socket coroutines on real channels. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EventLoopIoTest {

    @Test
    void aLoopWithoutIoOpensNoSelector() {
        try (EventLoop loop = new EventLoop()) {
            loop.runUntilComplete(() -> {
                Asyncio.sleep(0.001);
                return null;
            });
            assertNull(loop.engine.poller.ioOrNull());
        }
    }

    @Test
    void readerCallbackFiresUntilRemoved() throws Exception {
        Pipe pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        List<String> seen = new ArrayList<>();
        // A manual virtual clock with a far-off timer: the writer acts once the loop waits in the selector.
        IdleWatchClock clock = new IdleWatchClock(false);
        try (EventLoop loop = new EventLoop(clock)) {
            loop.callLater(Duration.ofDays(1), () -> { });
            loop.runUntilComplete(() -> {
                EventLoopIo io = EventLoopIo.current();
                Future<Void> got = loop.createFuture();
                Handle h = io.addReader(pipe.source(), () -> {
                    ByteBuffer b = ByteBuffer.allocate(64);
                    try {
                        int n = pipe.source().read(b);
                        seen.add(new String(b.array(), 0, n, StandardCharsets.UTF_8));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    if (!got.isDone()) {
                        got.setResult(null);
                    }
                });
                assertNotNull(h);
                // Written by another thread: the selector wakes the idle loop.
                Thread.ofPlatform().start(() -> {
                    try {
                        clock.awaitIdle();
                        pipe.sink().write(ByteBuffer.wrap("ping".getBytes(StandardCharsets.UTF_8)));
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                got.await();
                assertTrue(io.removeReader(pipe.source()));
                assertFalse(io.removeReader(pipe.source()));
                pipe.sink().write(ByteBuffer.wrap("late".getBytes(StandardCharsets.UTF_8)));
                // The removed reader must not fire: the late data is readable as soon as write returns, and each
                // iteration with ready callbacks polls the selector, so three iterations give it three chances.
                for (int i = 0; i < 3; i++) {
                    Asyncio.sleep(0);
                }
                return null;
            });
            assertNotNull(loop.engine.poller.ioOrNull());
        }
        assertEquals(List.of("ping"), seen);
        pipe.sink().close();
        pipe.source().close();
    }

    @Test
    void blockingChannelsAndForeignThreadsAreRefused() throws Exception {
        try (EventLoop loop = new EventLoop(); SocketChannel blocking = SocketChannel.open()) {
            loop.runUntilComplete(() -> {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> EventLoopIo.current().addReader(blocking, () -> { }));
                assertTrue(e.getMessage().contains("configureBlocking(false)"), e.getMessage());
                Pipe pipe = Pipe.open();
                pipe.source().configureBlocking(false);
                Throwable[] fromOtherThread = new Throwable[1];
                Thread t = Thread.ofPlatform().start(() -> {
                    try {
                        EventLoopIo.of(loop).addReader(pipe.source(), () -> { });
                    } catch (Throwable ex) {
                        fromOtherThread[0] = ex;
                    }
                });
                while (t.isAlive()) {
                    Asyncio.sleep(0.01);
                }
                assertTrue(fromOtherThread[0] instanceof IllegalStateException, String.valueOf(fromOtherThread[0]));
                return null;
            });
        }
    }

    @Test
    void socketCoroutinesEcho() {
        String reply = Asyncio.run(() -> {
            EventLoopIo io = EventLoopIo.current();
            ServerSocketChannel server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            server.configureBlocking(false);
            Task<Void> serving = Asyncio.createTask(() -> {
                SocketChannel conn = io.sockAccept(server);
                assertFalse(conn.isBlocking());
                byte[] data = io.sockRecv(conn, 100);
                io.sockSendall(conn, ("echo:" + new String(data, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
                conn.shutdownOutput();
                assertEquals(0, io.sockRecv(conn, 10).length, "EOF after the client shuts down");
                conn.close();
            });
            SocketChannel client = SocketChannel.open();
            client.configureBlocking(false);
            io.sockConnect(client, server.getLocalAddress());
            io.sockSendall(client, "hi".getBytes(StandardCharsets.UTF_8));
            ByteBuffer buf = ByteBuffer.allocate(100);
            while (true) {
                int n = io.sockRecvInto(client, buf);
                if (n == 0) {
                    break;
                }
            }
            client.shutdownOutput();
            serving.await();
            client.close();
            server.close();
            return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
        });
        assertEquals("echo:hi", reply);
    }

    @Test
    void sendallWaitsForAFullSocketAndCancelledRecvLeavesNoReader() {
        Asyncio.run(() -> {
            EventLoopIo io = EventLoopIo.current();
            ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            server.configureBlocking(false);
            SocketChannel client = SocketChannel.open();
            client.configureBlocking(false);
            Task<SocketChannel> accept = Asyncio.createTask(() -> io.sockAccept(server));
            io.sockConnect(client, server.getLocalAddress());
            SocketChannel peer = accept.await();
            byte[] big = new byte[8 * 1024 * 1024];
            Task<Void> sender = Asyncio.createTask(() -> io.sockSendall(client, big));
            long received = 0;
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            while (received < big.length) {
                buf.clear();
                received += io.sockRecvInto(peer, buf);
            }
            sender.await();
            assertEquals(big.length, received);
            Task<byte[]> pending = Asyncio.createTask(() -> io.sockRecv(peer, 10));
            Asyncio.sleep(0.01);
            pending.cancel();
            assertThrows(CancelledError.class, pending::await);
            assertFalse(io.removeReader(peer), "a cancelled sockRecv removes its reader");
            client.close();
            peer.close();
            server.close();
            return null;
        });
    }

    @Test
    void getaddrinfoResolvesOffTheLoop() {
        List<InetSocketAddress> found = Asyncio.run(() -> EventLoopIo.current().getaddrinfo("localhost", 80));
        assertFalse(found.isEmpty());
        assertTrue(found.get(0).getAddress().isLoopbackAddress());
        assertEquals(80, found.get(0).getPort());
    }

    @Test
    void getnameinfoNamesTheLoopbackAddress() {
        String name = Asyncio.run(() -> EventLoopIo.current().getnameinfo(InetAddress.getLoopbackAddress()));
        assertFalse(name.isEmpty());
    }

    /** A fixed pool that counts the jobs handed to it. */
    private static final class CountingPool extends java.util.concurrent.ThreadPoolExecutor {
        final java.util.concurrent.atomic.AtomicInteger executed = new java.util.concurrent.atomic.AtomicInteger();

        CountingPool(int threads) {
            super(threads, threads, 1, TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>());
        }

        @Override
        public void execute(Runnable job) {
            executed.incrementAndGet();
            super.execute(job);
        }
    }

    @Test
    void lookupsRunOnTheDefaultExecutorAndNeverMoreAtOnceThanItsThreads() {
        CountingPool pool = new CountingPool(2);
        try {
            Asyncio.run(() -> {
                Asyncio.getRunningLoop().setDefaultExecutor(pool);
                List<Task<List<InetSocketAddress>>> lookups = new java.util.ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    lookups.add(Asyncio.createTask(() -> EventLoopIo.current().getaddrinfo("localhost", 80)));
                }
                for (Task<List<InetSocketAddress>> t : lookups) {
                    assertTrue(t.await().get(0).getAddress().isLoopbackAddress());
                }
            });
            assertEquals(200, pool.executed.get(), "every lookup ran on the loop's default executor");
            assertTrue(pool.getLargestPoolSize() <= 2, "more lookup threads than the executor has: " + pool.getLargestPoolSize());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aCancelledLookupLeavesTheExecutorsQueueAtOnce() throws Exception {
        java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(1, 1, 1,
                TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>());
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try {
            Asyncio.run(() -> {
                Asyncio.getRunningLoop().setDefaultExecutor(pool);
                Future<Boolean> busy = Asyncio.getRunningLoop().runInExecutor(null, () -> release.await(20, TimeUnit.SECONDS));
                Task<List<InetSocketAddress>> lookup = Asyncio.createTask(() -> EventLoopIo.current().getaddrinfo("localhost", 80));
                Asyncio.sleep(Duration.ZERO);
                assertEquals(1, pool.getQueue().size(), "the lookup waits behind the busy job");
                lookup.cancel();
                assertThrows(CancelledError.class, lookup::await);
                assertEquals(0, pool.getQueue().size(), "the cancelled lookup still holds a place in the queue");
                release.countDown();
                assertTrue(busy.await());
            });
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void noResolverThreadOutlivesTheLoop() throws Exception {
        String[] executorThread = new String[1];
        Asyncio.run(() -> {
            List<Task<List<InetSocketAddress>>> lookups = new java.util.ArrayList<>();
            for (int i = 0; i < 100; i++) {
                lookups.add(Asyncio.createTask(() -> EventLoopIo.current().getaddrinfo("localhost", 80)));
            }
            lookups.get(99).cancel();
            for (Task<List<InetSocketAddress>> t : lookups.subList(0, 99)) {
                t.await();
            }
            executorThread[0] = Asyncio.toThread(() -> Thread.currentThread().getName());
        });
        // The pool's own prefix, "asyncio-executor-<pool>-": other tests' loops have pools of their own.
        String pool = executorThread[0].substring(0, executorThread[0].lastIndexOf('-') + 1);
        assertEquals(List.of(), ThreadDump.awaitGone(name -> name.startsWith(pool) || name.startsWith("asyncio-getaddrinfo")),
                "resolver threads still alive after Asyncio.run returned");
    }

    @Test
    void pendingReadHoldsAnAutoJumpingVirtualClock() throws Exception {
        IdleWatchClock clock = new IdleWatchClock(true);
        try (EventLoop loop = new EventLoop(clock)) {
            double[] timeWhenDataArrived = new double[1];
            loop.runUntilComplete(() -> {
                EventLoopIo io = EventLoopIo.current();
                ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                server.configureBlocking(false);
                SocketChannel client = SocketChannel.open();
                client.configureBlocking(false);
                Task<SocketChannel> accept = Asyncio.createTask(() -> io.sockAccept(server));
                io.sockConnect(client, server.getLocalAddress());
                SocketChannel peer = accept.await();
                Task<Void> sleeper = Asyncio.createTask(() -> Asyncio.sleep(Duration.ofHours(1)));
                // The peer writes once the loop is idle with the read in flight and the hour-long timer pending:
                // the moment the clock must not jump.
                Thread.ofPlatform().start(() -> {
                    try {
                        clock.awaitIdle();
                        peer.configureBlocking(true);
                        peer.write(ByteBuffer.wrap(new byte[] {1}));
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                assertArrayEquals(new byte[] {1}, io.sockRecv(client, 1));
                timeWhenDataArrived[0] = loop.time();
                sleeper.await();
                assertTrue(loop.time() >= 3600);
                client.close();
                peer.close();
                server.close();
                return null;
            });
            assertTrue(timeWhenDataArrived[0] < 1, "virtual time jumped to " + timeWhenDataArrived[0] + " s during a read");
        }
    }

    @Test
    void threadsafeCallsWakeALoopWaitingInSelect() throws Exception {
        Pipe pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        // A manual virtual clock with a far-off timer: the caller acts once the loop has begun to wait.
        IdleWatchClock clock = new IdleWatchClock(false);
        try (EventLoop loop = new EventLoop(clock)) {
            loop.callLater(Duration.ofDays(1), () -> { });
            String got = loop.runUntilComplete(() -> {
                // A reader that never fires keeps the loop in Selector.select(), on a task's virtual thread.
                EventLoopIo.current().addReader(pipe.source(), () -> { });
                Future<String> f = loop.createFuture();
                Thread.ofPlatform().start(() -> {
                    try {
                        clock.awaitIdle();
                    } catch (InterruptedException e) {
                        return;
                    }
                    loop.callSoonThreadsafe(() -> f.setResult("woken"));
                });
                String r = f.await();
                EventLoopIo.current().removeReader(pipe.source());
                return r;
            });
            assertEquals("woken", got);
        } finally {
            pipe.sink().close();
            pipe.source().close();
        }
    }

    /** A non-blocking UDP socket bound to an ephemeral loopback port. */
    private static java.nio.channels.DatagramChannel udp() throws IOException {
        java.nio.channels.DatagramChannel ch = java.nio.channels.DatagramChannel.open();
        ch.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        ch.configureBlocking(false);
        return ch;
    }

    @Test
    void sockSendtoAndSockRecvfromExchangeDatagrams() throws IOException {
        // CPython's test_sock_lowlevel: test_recvfrom, test_recvfrom_into, test_sendto_blocking.
        try (java.nio.channels.DatagramChannel a = udp(); java.nio.channels.DatagramChannel b = udp()) {
            Asyncio.run(() -> {
                EventLoopIo io = EventLoopIo.current();
                Task<Datagram> receiving = Asyncio.createTask(() -> io.sockRecvfrom(b, 4));
                Asyncio.sleep(0);
                assertFalse(receiving.isDone(), "suspended until a datagram arrives");
                assertEquals(5, io.sockSendto(a, ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8)),
                        b.getLocalAddress()));
                Datagram d = receiving.await();
                assertEquals("hell", new String(d.data(), StandardCharsets.UTF_8), "cut to maxBytes, as recvfrom");
                assertEquals(a.getLocalAddress(), d.address());

                io.sockSendto(b, ByteBuffer.wrap("back".getBytes(StandardCharsets.UTF_8)), a.getLocalAddress());
                ByteBuffer into = ByteBuffer.allocate(16);
                assertEquals(b.getLocalAddress(), io.sockRecvfromInto(a, into));
                assertEquals(4, into.position());
                assertThrows(IllegalArgumentException.class, () -> io.sockRecvfrom(a, 0));
                return null;
            });
        }
    }

    @Test
    void sockRecvfromIsCancelledWithoutLosingALaterDatagram() throws IOException {
        try (java.nio.channels.DatagramChannel a = udp(); java.nio.channels.DatagramChannel b = udp()) {
            Asyncio.run(() -> {
                EventLoopIo io = EventLoopIo.current();
                Task<Datagram> first = Asyncio.createTask(() -> io.sockRecvfrom(b, 64));
                Asyncio.sleep(0);
                first.cancel();
                assertThrows(CancelledError.class, first::await);
                io.sockSendto(a, ByteBuffer.wrap(new byte[] {7}), b.getLocalAddress());
                assertArrayEquals(new byte[] {7}, io.sockRecvfrom(b, 64).data());
                return null;
            });
        }
    }
}
