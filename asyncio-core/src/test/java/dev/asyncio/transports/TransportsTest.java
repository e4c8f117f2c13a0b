package dev.asyncio.transports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.Asyncio;
import dev.asyncio.EventLoop;
import dev.asyncio.Future;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Transports and protocols on loopback: call order, flow control at the water marks, datagrams. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TransportsTest {

    /** Records every callback; optionally does not read until told. */
    static final class Recorder implements Protocol {
        final List<String> events = new ArrayList<>();
        final ByteArrayOutputStream data = new ByteArrayOutputStream();
        Transport transport;
        Future<Void> lost;
        final boolean pauseAtStart;
        int bufferAtPause = -1;
        int bufferAtResume = -1;

        Recorder(EventLoop loop, boolean pauseAtStart) {
            this.lost = loop.createFuture();
            this.pauseAtStart = pauseAtStart;
        }

        @Override
        public void connectionMade(Transport t) {
            transport = t;
            events.add("made");
            if (pauseAtStart) {
                t.pauseReading();
            }
        }

        @Override
        public void dataReceived(byte[] d) {
            data.writeBytes(d);
        }

        @Override
        public boolean eofReceived() {
            events.add("eof");
            return false;
        }

        @Override
        public void connectionLost(Exception e) {
            events.add("lost:" + e);
            lost.setResult(null);
        }

        @Override
        public void pauseWriting() {
            events.add("pause");
            bufferAtPause = transport.getWriteBufferSize();
        }

        @Override
        public void resumeWriting() {
            events.add("resume");
            bufferAtResume = transport.getWriteBufferSize();
        }
    }

    @Test
    void flowControlPausesAboveHighAndResumesAtLowWaterMark() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            List<Recorder> serverSide = new ArrayList<>();
            Server server = Transports.createServer(() -> {
                Recorder r = new Recorder(loop, true);
                serverSide.add(r);
                return r;
            }, "127.0.0.1", 0);
            int port = ((InetSocketAddress) server.addresses().get(0)).getPort();
            Connection<Recorder> c = Transports.createConnection(() -> new Recorder(loop, false), "127.0.0.1", port);
            Recorder client = c.protocol();
            assertEquals(List.of("made"), client.events);
            byte[] chunk = new byte[32 * 1024];
            long written = 0;
            while (!client.events.contains("pause")) {
                c.transport().write(chunk);
                written += chunk.length;
                assertTrue(written < 512L * 1024 * 1024, "never paused");
                if (written % (1 << 20) == 0) {
                    Asyncio.sleep(0); // let the writer callbacks run
                }
            }
            assertTrue(client.bufferAtPause > Transport.DEFAULT_HIGH_WATER, "paused at " + client.bufferAtPause);
            while (serverSide.isEmpty()) {
                Asyncio.sleep(0.001);
            }
            Recorder srv = serverSide.get(0);
            assertFalse(srv.transport.isReading());
            srv.transport.resumeReading();
            assertTrue(srv.transport.isReading());
            while (!client.events.contains("resume")) {
                Asyncio.sleep(0.001);
            }
            assertTrue(client.bufferAtResume <= Transport.DEFAULT_LOW_WATER, "resumed at " + client.bufferAtResume);
            c.transport().close();
            assertTrue(c.transport().isClosing());
            client.lost.await();
            srv.lost.await();
            assertEquals(written, srv.data.size(), "every byte written before close() was delivered");
            assertEquals(List.of("made", "pause", "resume", "lost:null"), client.events);
            assertEquals(List.of("made", "eof", "lost:null"), srv.events);
            server.close();
            server.waitClosed();
            return null;
        });
    }

    @Test
    void writeBufferLimitsFollowAsyncioDefaults() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = Transports.createServer(() -> new Recorder(loop, false), "127.0.0.1", 0);
            int port = ((InetSocketAddress) server.addresses().get(0)).getPort();
            Transport t = Transports.createConnection(() -> new Recorder(loop, false), "127.0.0.1", port).transport();
            t.setWriteBufferLimits(4000, 1000);
            assertEquals(new Transport.WriteBufferLimits(1000, 4000), t.getWriteBufferLimits());
            t.setWriteBufferLimits(8000);
            assertEquals(new Transport.WriteBufferLimits(2000, 8000), t.getWriteBufferLimits());
            assertThrows(IllegalArgumentException.class, () -> t.setWriteBufferLimits(10, 20));
            // A negative mark is refused where it is given, not taken for "the default".
            for (int[] bad : new int[][] {{-1, -1}, {-1, 1000}, {8000, -1}}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> t.setWriteBufferLimits(bad[0], bad[1]));
                assertTrue(e.getMessage().contains("setWriteBufferLimits(high)"), e.getMessage());
            }
            assertThrows(IllegalArgumentException.class, () -> t.setWriteBufferLimits(-4));
            assertEquals(new Transport.WriteBufferLimits(2000, 8000), t.getWriteBufferLimits(), "unchanged");
            t.writeEof();
            assertThrows(IllegalStateException.class, () -> t.write(new byte[1]));
            t.abort();
            server.close();
            return null;
        });
    }

    @Test
    void datagramEndpointsExchangeMessages() {
        List<String> got = Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            DatagramEndpoint<DatagramProtocol> server = Transports.createDatagramEndpoint(() -> new DatagramProtocol() {
                DatagramTransport transport;

                @Override
                public void connectionMade(DatagramTransport t) {
                    transport = t;
                }

                @Override
                public void datagramReceived(byte[] data, SocketAddress from) {
                    transport.sendto(("re:" + new String(data, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8), from);
                }
            }, any, null);
            SocketAddress serverAddress = (SocketAddress) server.transport().getExtraInfo("sockname");
            List<String> replies = new ArrayList<>();
            Future<Void> done = loop.createFuture();
            DatagramEndpoint<DatagramProtocol> client = Transports.createDatagramEndpoint(() -> new DatagramProtocol() {
                @Override
                public void datagramReceived(byte[] data, SocketAddress from) {
                    replies.add(new String(data, StandardCharsets.UTF_8));
                    if (replies.size() == 3 && !done.isDone()) {
                        done.setResult(null);
                    }
                }
            }, null, (InetSocketAddress) serverAddress);
            assertEquals(serverAddress, client.transport().getExtraInfo("peername"));
            for (String m : List.of("a", "b", "c")) {
                client.transport().sendto(m.getBytes(StandardCharsets.UTF_8), null);
            }
            assertThrows(IllegalArgumentException.class,
                    () -> client.transport().sendto(new byte[1], new InetSocketAddress(InetAddress.getLoopbackAddress(), 9)));
            done.await();
            client.transport().close();
            server.transport().close();
            assertTrue(server.transport().isClosing());
            assertNull(server.transport().getExtraInfo("peername"));
            return replies;
        });
        assertEquals(List.of("re:a", "re:b", "re:c"), got);
    }
}
