package dev.asyncio.transports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.Asyncio;
import dev.asyncio.EventLoopIo;
import dev.asyncio.Task;
import dev.asyncio.streams.StreamConnection;
import dev.asyncio.streams.StreamReader;
import dev.asyncio.streams.StreamWriter;
import dev.asyncio.streams.Streams;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EventLoopIo#sockSendfile} and {@link Transports#sendfile} on loopback, after CPython's
 * {@code test_asyncio/test_sendfile.py}: whole file, offset and count, data written before and after,
 * writes refused meanwhile. The TLS fallback is in {@link TlsProtocolTest}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SendfileTest {
    /** Larger than loopback's socket buffers, so that sending has to wait for the reader. */
    private static final int SIZE = 4 * 1024 * 1024;

    @TempDir
    Path dir;

    private byte[] data;

    private FileChannel file() throws IOException {
        data = new byte[SIZE];
        new Random(23).nextBytes(data);
        Path p = dir.resolve("data.bin");
        Files.write(p, data);
        return FileChannel.open(p, StandardOpenOption.READ);
    }

    /** A server that reads everything until end of stream; the client's streams; what the server read. */
    record Peer(Server server, StreamConnection client, dev.asyncio.Future<byte[]> received) {
    }

    static Peer peer(TlsOptions serverTls, TlsOptions clientTls) throws IOException {
        dev.asyncio.Future<byte[]> received = Asyncio.getRunningLoop().createFuture();
        Server server = Streams.startServer((r, w) -> {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (;;) {
                byte[] chunk = r.read(64 * 1024);
                if (chunk.length == 0) {
                    break;
                }
                all.writeBytes(chunk);
            }
            received.setResult(all.toByteArray());
            w.close();
        }, "127.0.0.1", 0, serverTls, StreamReader.DEFAULT_LIMIT, 100);
        int port = ((InetSocketAddress) server.addresses().get(0)).getPort();
        StreamConnection c = Streams.openConnection("127.0.0.1", port, clientTls, clientTls == null ? null : "localhost",
                StreamReader.DEFAULT_LIMIT);
        return new Peer(server, c, received);
    }

    /** Writes 'a's until the transport buffers some: sendfile then has to wait for them. */
    private static byte[] fillBuffer(Transport t) {
        byte[] block = new byte[1024 * 1024];
        Arrays.fill(block, (byte) 'a');
        int blocks = 0;
        while (t.getWriteBufferSize() == 0) {
            t.write(block);
            assertTrue(++blocks < 256, "loopback never buffered");
        }
        byte[] all = new byte[blocks * block.length];
        Arrays.fill(all, (byte) 'a');
        return all;
    }

    private static Peer peer() throws IOException {
        return peer(null, null);
    }

    @Test
    void sockSendfileSendsTheWholeFileAndMovesItsPosition() throws IOException {
        try (FileChannel f = file()) {
            Asyncio.run(() -> {
                Peer p = peer();
                SocketChannel sock = (SocketChannel) p.client().writer().getExtraInfo("socket");
                p.client().writer().transport().pauseReading();
                long sent = EventLoopIo.current().sockSendfile(sock, f, 0, null);
                assertEquals(SIZE, sent);
                assertEquals(SIZE, f.position());
                p.client().writer().close();
                assertArrayEquals(data, p.received().await());
                p.server().close();
                return null;
            });
        }
    }

    @Test
    void offsetAndCountSelectARange() throws IOException {
        try (FileChannel f = file()) {
            Asyncio.run(() -> {
                Peer p = peer();
                StreamWriter w = p.client().writer();
                assertEquals(5000, Transports.sendfile(w.transport(), f, 1000, 5000L));
                assertEquals(6000, f.position());
                assertEquals(SIZE - 6000, Transports.sendfile(w.transport(), f, 6000, (long) SIZE), "the file ends first");
                w.close();
                assertArrayEquals(Arrays.copyOfRange(data, 1000, SIZE), p.received().await());
                p.server().close();
                return null;
            });
        }
    }

    @Test
    void dataWrittenBeforeAndAfterKeepsItsOrder() throws IOException {
        try (FileChannel f = file()) {
            Asyncio.run(() -> {
                Peer p = peer();
                StreamWriter w = p.client().writer();
                byte[] pre = fillBuffer(w.transport()); // some of it still buffered when sendfile starts
                assertEquals(SIZE, Transports.sendfile(w.transport(), f, 0, null));
                w.write("post".getBytes());
                w.close();
                byte[] got = p.received().await();
                assertEquals(pre.length + SIZE + 4, got.length);
                assertArrayEquals(pre, Arrays.copyOfRange(got, 0, pre.length));
                assertArrayEquals(data, Arrays.copyOfRange(got, pre.length, pre.length + SIZE));
                assertEquals("post", new String(got, pre.length + SIZE, 4));
                p.server().close();
                return null;
            });
        }
    }

    @Test
    void writesAreRefusedWhileSendfileRuns() throws IOException {
        try (FileChannel f = file()) {
            Asyncio.run(() -> {
                Peer p = peer();
                Transport t = p.client().writer().transport();
                byte[] pre = fillBuffer(t);
                Task<Long> sending = Asyncio.createTask(() -> Transports.sendfile(t, f, 0, null));
                Asyncio.sleep(0); // sendfile has started and waits for the buffered bytes to go
                assertFalse(sending.isDone());
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.write(new byte[1]));
                assertTrue(e.getMessage().contains("sendfile is in progress"), e.getMessage());
                assertThrows(IllegalStateException.class, () -> Transports.sendfile(t, f, 0, null));
                assertEquals(SIZE, sending.await());
                t.write("x".getBytes());
                t.close();
                assertEquals(pre.length + SIZE + 1, p.received().await().length);
                p.server().close();
                return null;
            });
        }
    }

    @Test
    void badArgumentsAndClosingTransportsAreRefused() throws IOException {
        try (FileChannel f = file()) {
            Asyncio.run(() -> {
                Peer p = peer();
                Transport t = p.client().writer().transport();
                SocketChannel sock = (SocketChannel) t.getExtraInfo("socket");
                assertThrows(IllegalArgumentException.class, () -> Transports.sendfile(t, f, -1, null));
                assertThrows(IllegalArgumentException.class, () -> Transports.sendfile(t, f, 0, 0L));
                assertThrows(IllegalArgumentException.class, () -> EventLoopIo.current().sockSendfile(sock, f, -1, null));
                assertThrows(IllegalArgumentException.class, () -> EventLoopIo.current().sockSendfile(sock, f, 0, 0L));
                t.close();
                assertThrows(IllegalStateException.class, () -> Transports.sendfile(t, f, 0, null));
                p.received().await();
                p.server().close();
                return null;
            });
        }
    }
}
