package dev.asyncio.benchmarks;

import dev.asyncio.internal.LoopInternals;
import dev.asyncio.Asyncio;
import dev.asyncio.Coroutine;
import dev.asyncio.EventLoop;
import dev.asyncio.Future;
import dev.asyncio.Runner;
import dev.asyncio.Task;
import dev.asyncio.streams.StreamConnection;
import dev.asyncio.streams.StreamReader;
import dev.asyncio.streams.StreamWriter;
import dev.asyncio.streams.Streams;
import dev.asyncio.transports.Server;
import dev.asyncio.transports.ServerOptions;
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
 * Workloads {@code echo} and {@code echo_1loop} (docs/design.md §9; {@code benchmarks/python/echo.py}): an
 * echo server made with {@link Streams#startServer} on 127.0.0.1 (ephemeral port) and {@link #clients}
 * connections made with {@link Streams#openConnection}; each client does {@link #roundTrips} round trips
 * of a 64-byte message ({@code write}, {@code drain}, {@code readexactly(64)}), all clients at once. The
 * server's handler echoes whatever one {@code read(65536)} returns, as {@code echo.py}'s. The score is
 * nanoseconds per round trip; {@link Workloads} reports it as round trips per second over all clients.
 *
 * <p><b>Loops.</b> With {@link #loops} = 1 everything runs on the round's one loop, as in {@code echo.py}.
 * With {@link #loops} = N (the {@code echo} row: 2, one per core of the reference machine) the server is
 * one {@code startServer} with {@link ServerOptions#withLoops}(N), asyncio's {@code reuse_port} model:
 * N loops on N threads in this one process, each with its own selector and its own share of the server's
 * connections (the kernel spreads them over the loops' {@code SO_REUSEPORT} sockets). The clients are
 * spread over the same N loops, {@code clients / N} each, opened and run on their loop (through
 * {@link EventLoop#runCoroutineThreadsafe}); a round ends when every loop's clients are done. So the row
 * measures what a program gets from N loops that share the client and the server work of one process,
 * which is what {@code reuse_port} gives N Python processes; {@code echo.py} is one process and one loop.
 *
 * <p>As in {@code echo.py}, only the round trips are timed: the server and the connections are made in
 * the untimed setup (a {@link Runner#run} call of its own on the round's fresh loop; the handlers' tasks
 * stay pending on their loops until the measured call), and closed in the untimed teardown. Both ends of
 * every connection have {@code TCP_NODELAY}, which the core sets on every TCP socket it opens or
 * accepts, as asyncio does. Carrier mode: the JVM's default (see {@link SwitchBenchmark}); the extra
 * loops take the round's loop's mode.
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

    /** Event loops serving the server, and running the clients. */
    @Param("2")
    public int loops;

    private Runner runner;
    private Server server;
    /** The clients' connections per loop of {@link Server#loops()}, each opened on that loop. */
    private List<List<StreamConnection>> connections;

    /** Makes the round's loop, starts the server on its loops and connects the clients (not timed). */
    @Setup(Level.Iteration)
    public void connect() {
        runner = new Runner();
        runner.run(() -> {
            server = Streams.startServer(EchoBenchmark::echo, "127.0.0.1", 0, ServerOptions.DEFAULT.withLoops(loops));
            int port = ((InetSocketAddress) server.addresses().get(0)).getPort();
            List<EventLoop> serving = server.loops();
            List<Future<List<StreamConnection>>> opened = new ArrayList<>();
            for (int l = 0; l < serving.size(); l++) {
                int count = clients / loops + (l < clients % loops ? 1 : 0);
                opened.add(onLoop(serving.get(l), () -> {
                    List<StreamConnection> mine = new ArrayList<>();
                    for (int c = 0; c < count; c++) {
                        mine.add(Streams.openConnection("127.0.0.1", port));
                    }
                    return mine;
                }));
            }
            connections = Asyncio.gather(opened).await();
        });
    }

    /** Closes the connections and the server, then the loop (not timed); the extra loops end with the server. */
    @TearDown(Level.Iteration)
    public void disconnect() {
        try {
            runner.run(() -> {
                List<EventLoop> serving = server.loops();
                List<Future<Void>> closed = new ArrayList<>();
                for (int l = 0; l < serving.size(); l++) {
                    List<StreamConnection> mine = connections.get(l);
                    closed.add(onLoop(serving.get(l), () -> {
                        for (StreamConnection c : mine) {
                            c.writer().close();
                            c.writer().waitClosed();
                        }
                        return null;
                    }));
                }
                Asyncio.gather(closed).await();
                server.close();
                server.waitClosed();
            });
        } finally {
            runner.close();
        }
    }

    /** Runs {@code coroutine} on {@code loop}: as a task if it is the running loop, else from the outside. */
    private static <T> Future<T> onLoop(EventLoop loop, Coroutine<T> coroutine) {
        return LoopInternals.isOnTurn(loop) ? Asyncio.createTask(coroutine) : Asyncio.wrapFuture(loop.runCoroutineThreadsafe(coroutine));
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
     * One round: every client does its round trips concurrently, each on its own loop.
     *
     * @return the round trips done, which must be {@code clients * roundTrips}
     */
    @Benchmark
    @OperationsPerInvocation(OPERATIONS)
    public int roundTrips() {
        int perClient = roundTrips;
        int done = runner.run(() -> {
            List<EventLoop> serving = server.loops();
            List<Future<Integer>> perLoop = new ArrayList<>();
            for (int l = 0; l < serving.size(); l++) {
                List<StreamConnection> mine = connections.get(l);
                perLoop.add(onLoop(serving.get(l), () -> clientsOf(mine, perClient)));
            }
            int sum = 0;
            for (int n : Asyncio.gather(perLoop).await()) {
                sum += n;
            }
            return sum;
        });
        if (done != clients * perClient) {
            throw new IllegalStateException("lost round trips: " + done + ", expected " + clients * perClient);
        }
        return done;
    }

    /** On one loop: its clients' round trips, all at once; returns how many were done. */
    private static int clientsOf(List<StreamConnection> connections, int perClient) {
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
    }
}
