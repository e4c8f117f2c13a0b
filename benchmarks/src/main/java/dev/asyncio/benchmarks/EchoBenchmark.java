package dev.asyncio.benchmarks;

import dev.asyncio.Asyncio;
import dev.asyncio.Runner;
import dev.asyncio.Task;
import dev.asyncio.streams.StreamConnection;
import dev.asyncio.streams.StreamReader;
import dev.asyncio.streams.StreamWriter;
import dev.asyncio.streams.Streams;
import dev.asyncio.transports.Server;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Workload {@code echo} (DESIGN.md §9; {@code benchmarks/python/echo.py}): an echo server made with
 * {@link Streams#startServer} on 127.0.0.1 (ephemeral port) and {@link #clients} connections made with
 * {@link Streams#openConnection}; each client does {@link #roundTrips} round trips of a 64-byte message
 * ({@code write}, {@code drain}, {@code readexactly(64)}), all clients at once. The server's handler
 * echoes whatever one {@code read(65536)} returns, as {@code echo.py}'s. The score is nanoseconds per
 * round trip; {@link Workloads} reports it as round trips per second over all clients.
 *
 * <p>As in {@code echo.py}, only the round trips are timed: the server and the connections are made in
 * the untimed setup (a {@link Runner#run} call of its own on the round's fresh loop; the handlers' tasks
 * stay pending on the loop until the measured call), and closed in the untimed teardown. Both ends of
 * every connection have {@code TCP_NODELAY}, which the core sets on every TCP socket it opens or
 * accepts, as asyncio does. Carrier mode: the JVM's default (see {@link SwitchBenchmark}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 5)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx4g"})
public class EchoBenchmark {
    /** Round trips per round at the default parameters: 50 clients x 2000. */
    static final int OPERATIONS = 100_000;

    /** The message: bytes 0..63, as {@code echo.py}'s {@code MESSAGE}. */
    private static final byte[] MESSAGE = new byte[64];

    static {
        for (int i = 0; i < MESSAGE.length; i++) {
            MESSAGE[i] = (byte) i;
        }
    }

    /** Concurrent client connections. */
    @Param("50")
    public int clients;

    /** Round trips per client. */
    @Param("2000")
    public int roundTrips;

    private Runner runner;
    private Server server;
    private List<StreamConnection> connections;

    /** Makes the round's loop, starts the server and connects the clients (not timed). */
    @Setup(Level.Iteration)
    public void connect() {
        runner = new Runner();
        runner.run(() -> {
            server = Streams.startServer(EchoBenchmark::echo, "127.0.0.1", 0);
            int port = ((InetSocketAddress) server.addresses().get(0)).getPort();
            connections = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                connections.add(Streams.openConnection("127.0.0.1", port));
            }
        });
    }

    /** Closes the connections and the server, then the loop (not timed). */
    @TearDown(Level.Iteration)
    public void disconnect() {
        try {
            runner.run(() -> {
                for (StreamConnection c : connections) {
                    c.writer().close();
                    c.writer().waitClosed();
                }
                server.close();
                server.waitClosed();
            });
        } finally {
            runner.close();
        }
    }

    /** The server side of one connection: echo each chunk read until the client closes. */
    private static void echo(StreamReader reader, StreamWriter writer) throws IOException {
        try {
            byte[] data;
            while ((data = reader.read(65536)).length > 0) {
                writer.write(data);
                writer.drain();
            }
        } finally {
            writer.close();
        }
    }

    /**
     * One round: every client does its round trips concurrently.
     *
     * @return the round trips done, which must be {@code clients * roundTrips}
     */
    @Benchmark
    @OperationsPerInvocation(OPERATIONS)
    public int roundTrips() {
        int perClient = roundTrips;
        int done = runner.run(() -> {
            List<Task<Integer>> tasks = new ArrayList<>();
            for (StreamConnection c : connections) {
                tasks.add(Asyncio.createTask(() -> {
                    byte[] reply = null;
                    for (int i = 0; i < perClient; i++) {
                        c.writer().write(MESSAGE);
                        c.writer().drain();
                        reply = c.reader().readexactly(MESSAGE.length);
                    }
                    if (!Arrays.equals(reply, MESSAGE)) {
                        throw new IllegalStateException("echo garbled: " + Arrays.toString(reply));
                    }
                    return perClient;
                }));
            }
            int sum = 0;
            for (int n : Asyncio.gather(tasks).await()) {
                sum += n;
            }
            return sum;
        });
        if (done != clients * perClient) {
            throw new IllegalStateException("lost round trips: " + done + ", expected " + clients * perClient);
        }
        return done;
    }
}
