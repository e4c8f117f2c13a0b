package dev.asyncio.transports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.Asyncio;
import dev.asyncio.TimeoutError;
import dev.asyncio.streams.StreamConnection;
import dev.asyncio.streams.StreamHandler;
import dev.asyncio.streams.StreamReader;
import dev.asyncio.streams.Streams;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * TLS over real loopback sockets, against a self-signed certificate for "localhost" made by the JDK's
 * keytool in the test.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsProtocolTest {
    private static SSLContext serverContext;
    private static SSLContext trustingClientContext;

    @BeforeAll
    static void makeCertificate() throws Exception {
        Path dir = Files.createTempDirectory("asyncio-tls");
        Path ks = dir.resolve("server.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        char[] pw = "changeit".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            keys.load(in, pw);
        }
        Files.delete(ks);
        Files.delete(dir);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, pw);
        serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);

        Certificate cert = keys.getCertificate("server");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        trustingClientContext = SSLContext.getInstance("TLS");
        trustingClientContext.init(null, tmf.getTrustManagers(), null);
    }

    private static final StreamHandler ECHO_LINE = (reader, writer) -> {
        byte[] line = reader.readline();
        writer.write(line);
        writer.drain();
        writer.close();
        writer.waitClosed();
    };

    private static int port(Server s) {
        return ((InetSocketAddress) s.addresses().get(0)).getPort();
    }

    /** Connects to a TLS echo server with {@code client} and the given name; returns the echoed line. */
    private static String roundTrip(TlsOptions client, String serverHostname) {
        return Asyncio.run(() -> {
            Server server = Streams.startServer(ECHO_LINE, "127.0.0.1", 0, TlsOptions.server(serverContext),
                    StreamReader.DEFAULT_LIMIT, 100);
            try {
                StreamConnection c = Streams.openConnection("127.0.0.1", port(server), client, serverHostname,
                        StreamReader.DEFAULT_LIMIT);
                assertNotNull(c.writer().getExtraInfo("peercert"));
                assertNotNull(c.writer().getExtraInfo("cipher"));
                assertFalse(c.writer().canWriteEof());
                c.writer().write("secret\n".getBytes(StandardCharsets.UTF_8));
                String line = new String(c.reader().readline(), StandardCharsets.UTF_8);
                assertEquals(0, c.reader().read(-1).length, "the server's close_notify ends the stream");
                c.writer().close();
                c.writer().waitClosed();
                return line;
            } finally {
                server.close();
            }
        });
    }

    @Test
    void rightHostNameIsAccepted() {
        assertEquals("secret\n", roundTrip(TlsOptions.client(trustingClientContext), "localhost"));
    }

    @Test
    void wrongHostNameIsRefusedByDefault() {
        Exception e = assertThrows(Exception.class, () -> roundTrip(TlsOptions.client(trustingClientContext), "wrong.example"));
        assertInstanceOf(SSLHandshakeException.class, e, e.toString());
    }

    @Test
    void anAddressThatTheCertificateDoesNotNameIsRefused() {
        // No serverHostname: the host "127.0.0.1" is checked, and the certificate names only localhost.
        Exception e = assertThrows(Exception.class, () -> roundTrip(TlsOptions.client(trustingClientContext), null));
        assertInstanceOf(SSLHandshakeException.class, e, e.toString());
    }

    @Test
    void anEmptyServerHostnameMeansNoHostNameCheckButTheChainIsStillVerified() {
        // asyncio's server_hostname='': 127.0.0.1 is not in the certificate, and that is accepted now.
        assertEquals("secret\n", roundTrip(TlsOptions.client(trustingClientContext), ""));
        Exception e = assertThrows(Exception.class, () -> roundTrip(TlsOptions.client(), ""));
        assertInstanceOf(SSLHandshakeException.class, e, "an untrusted chain is still refused: " + e);
    }

    @Test
    void untrustedCertificateIsRefusedByTheDefaultContext() {
        Exception e = assertThrows(Exception.class, () -> roundTrip(TlsOptions.client(), "localhost"));
        assertInstanceOf(SSLHandshakeException.class, e, e.toString());
    }

    @Test
    void checksCanBeTurnedOffOnlyExplicitly() {
        assertEquals("secret\n", roundTrip(TlsOptions.client(trustingClientContext).withoutHostnameCheck(), "wrong.example"));
        assertEquals("secret\n", roundTrip(TlsOptions.client().withoutCertificateVerification(), "wrong.example"));
        assertTrue(TlsOptions.client().checkHostname());
        assertEquals(Duration.ofSeconds(60), TlsOptions.client().handshakeTimeout());
        assertThrows(IllegalArgumentException.class, () -> TlsOptions.client().withHandshakeTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> TlsOptions.client().withShutdownTimeout(Duration.ofSeconds(-1)));
        assertEquals(Duration.ofSeconds(30), TlsOptions.client().shutdownTimeout());
    }

    /** A time-out past {@code Duration.toNanos()}'s range (about 292 years) is "never", not an overflow. */
    @Test
    void aHugeHandshakeTimeoutIsAcceptedAsNever() {
        Duration never = Duration.ofSeconds(Long.MAX_VALUE);
        assertEquals("secret\n", roundTrip(TlsOptions.client(trustingClientContext).withHandshakeTimeout(never)
                .withShutdownTimeout(never), "localhost"));
    }

    @Test
    void handshakeTimesOutAgainstASilentServer() {
        Throwable e = Asyncio.run(() -> {
            // A plain server that never answers the ClientHello.
            Server silent = Streams.startServer((r, w) -> r.read(-1), "127.0.0.1", 0);
            try {
                Streams.openConnection("127.0.0.1", port(silent),
                        TlsOptions.client(trustingClientContext).withHandshakeTimeout(Duration.ofMillis(200)), "localhost",
                        StreamReader.DEFAULT_LIMIT);
                return null;
            } catch (TimeoutError | IOException ex) {
                return ex;
            } finally {
                silent.abortClients();
                silent.close();
            }
        });
        assertInstanceOf(TimeoutError.class, e);
    }

    @Test
    void startTlsUpgradesAPlainConnection() {
        String got = Asyncio.run(() -> {
            Server server = Streams.startServer((reader, writer) -> {
                assertEquals("STARTTLS\n", new String(reader.readline(), StandardCharsets.UTF_8));
                writer.write("GO\n".getBytes(StandardCharsets.UTF_8));
                writer.drain();
                writer.startTls(TlsOptions.server(serverContext), null);
                byte[] line = reader.readline();
                writer.write(line);
                writer.drain();
                writer.close();
            }, "127.0.0.1", 0);
            StreamConnection c = Streams.openConnection("127.0.0.1", port(server));
            c.writer().write("STARTTLS\n".getBytes(StandardCharsets.UTF_8));
            assertEquals("GO\n", new String(c.reader().readline(), StandardCharsets.UTF_8));
            c.writer().startTls(TlsOptions.client(trustingClientContext), "localhost");
            assertNotNull(c.writer().getExtraInfo("ssl_object"));
            c.writer().write("encrypted\n".getBytes(StandardCharsets.UTF_8));
            String line = new String(c.reader().readline(), StandardCharsets.UTF_8);
            c.writer().close();
            server.close();
            return line;
        });
        assertEquals("encrypted\n", got);
    }

    @Test
    void aLargeTransferSurvivesTls() {
        int size = 4 * 1024 * 1024;
        long n = Asyncio.run(() -> {
            Server server = Streams.startServer((reader, writer) -> {
                byte[] chunk = new byte[100_000];
                for (int sent = 0; sent < size; sent += chunk.length) {
                    writer.write(java.util.Arrays.copyOf(chunk, Math.min(chunk.length, size - sent)));
                    writer.drain();
                }
                writer.close();
            }, "127.0.0.1", 0, TlsOptions.server(serverContext), StreamReader.DEFAULT_LIMIT, 100);
            StreamConnection c = Streams.openConnection("127.0.0.1", port(server),
                    TlsOptions.client(trustingClientContext), "localhost", StreamReader.DEFAULT_LIMIT);
            long total = 0;
            while (true) {
                byte[] b = c.reader().read(65536);
                if (b.length == 0) {
                    break;
                }
                total += b.length;
            }
            c.writer().close();
            server.close();
            return total;
        });
        assertEquals(size, n);
    }

    @Test
    void sendfileOverTlsUsesTheFallbackAndKeepsTheOrder() throws Exception {
        byte[] data = new byte[1024 * 1024 + 123];
        new java.util.Random(5).nextBytes(data);
        Path file = Files.createTempFile("asyncio-sendfile", ".bin");
        try (java.nio.channels.FileChannel f = java.nio.channels.FileChannel.open(Files.write(file, data))) {
            byte[] got = Asyncio.run(() -> {
                SendfileTest.Peer p = SendfileTest.peer(TlsOptions.server(serverContext),
                        TlsOptions.client(trustingClientContext));
                Transport t = p.client().writer().transport();
                t.write("pre".getBytes(StandardCharsets.UTF_8));
                assertEquals(data.length - 100, Transports.sendfile(t, f, 100, null));
                assertEquals(data.length, f.position());
                assertTrue(t.isReading(), "reading resumed");
                t.write("post".getBytes(StandardCharsets.UTF_8));
                p.client().writer().close();
                byte[] all = p.received().await();
                p.server().close();
                return all;
            });
            assertEquals("pre", new String(got, 0, 3, StandardCharsets.UTF_8));
            assertArrayEquals(java.util.Arrays.copyOfRange(data, 100, data.length),
                    java.util.Arrays.copyOfRange(got, 3, got.length - 4));
            assertEquals("post", new String(got, got.length - 4, 4, StandardCharsets.UTF_8));
        } finally {
            Files.delete(file);
        }
    }
}
