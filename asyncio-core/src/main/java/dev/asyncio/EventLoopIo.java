package dev.asyncio;

import dev.asyncio.engine.LoopEngine;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The I/O methods of an {@link EventLoop}: asyncio's {@code add_reader}, {@code add_writer},
 * {@code sock_recv}, {@code sock_sendall}, {@code sock_connect}, {@code sock_accept} and
 * {@code getaddrinfo}, on {@code java.nio} {@link SelectableChannel}s instead of file descriptors; and
 * its Unix-side {@code add_signal_handler}/{@code remove_signal_handler}.
 * Obtain it with {@link #of(EventLoop)} or, inside a coroutine, {@link #current()}.
 *
 * <p><b>Mechanism.</b> Readiness comes from one {@link java.nio.channels.Selector} per loop, polled on
 * the loop's turn: without a wait when callbacks are ready (a ready coroutine is never delayed by a
 * poll), until the next timer when idle. A loop that never registers a channel never opens a selector.
 * Higher-level transports, servers and streams ({@code dev.asyncio.transports},
 * {@code dev.asyncio.streams}) are built on these methods.
 *
 * <p><b>Threads.</b> Every method must be called on the loop's turn (its coroutines and callbacks), or
 * before the loop runs, and throws {@link IllegalStateException} elsewhere; the {@code sock*} methods
 * and {@link #getaddrinfo} suspend and must be called from a coroutine of this loop. Channels must be
 * in non-blocking mode ({@code configureBlocking(false)}), as asyncio requires non-blocking sockets.
 *
 * <p><b>Virtual time.</b> A coroutine suspended in a {@code sock*} call or in {@link #getaddrinfo}
 * counts as work in flight ({@link EventLoopEngine#beginExternalWork()}), so an auto-jumping virtual clock
 * does not jump past it. A bare {@link #addReader}/{@link #addWriter} registration (a listening
 * server, a transport waiting for a peer that may never write) does not: otherwise a program with a
 * server would never let virtual time move.
 */
public final class EventLoopIo {
    private final EventLoop loop;

    private EventLoopIo(EventLoop loop) {
        this.loop = loop;
    }

    /**
     * @param loop the loop
     * @return the I/O methods of {@code loop}; cheap, no selector is opened until a channel is registered
     */
    public static EventLoopIo of(EventLoop loop) {
        return new EventLoopIo(Objects.requireNonNull(loop, "loop"));
    }

    /**
     * @return the I/O methods of the running loop
     * @throws IllegalStateException if the calling thread does not hold a running loop's turn
     */
    public static EventLoopIo current() {
        return new EventLoopIo(Asyncio.getRunningLoop());
    }

    /** @return the loop these methods act on */
    public EventLoop loop() {
        return loop;
    }

    private LoopSelector selector(String method) {
        loop.engine.checkThread(method);
        if (loop.isClosed()) {
            throw new IllegalStateException("Event loop is closed");
        }
        return loop.engine.selector();
    }

    // ------------------------------------------------------------------ readiness callbacks

    /**
     * Calls {@code callback} on the loop's turn whenever {@code channel} is readable (or, for a
     * {@link ServerSocketChannel}, has a connection to accept), until {@link #removeReader}; asyncio's
     * {@code add_reader}. Replaces a reader registered before for the same channel. The callback runs
     * in a copy of the current context; an exception it throws goes to the loop's exception handler.
     *
     * @param channel a channel in non-blocking mode
     * @param callback what to call
     * @return the handle of the callback; cancelling it removes the reader at the next poll
     * @throws IllegalArgumentException if the channel is blocking or closed
     * @throws IllegalStateException off the loop's turn or on a closed loop
     */
    public Handle addReader(SelectableChannel channel, Runnable callback) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(callback, "callback");
        return selector("addReader").add(channel, callback, false);
    }

    /**
     * Stops watching {@code channel} for reading; asyncio's {@code remove_reader}.
     *
     * @param channel the channel, open or already closed
     * @return whether a reader was registered
     * @throws IllegalStateException off the loop's turn
     */
    public boolean removeReader(SelectableChannel channel) {
        Objects.requireNonNull(channel, "channel");
        return selector("removeReader").remove(channel, false);
    }

    /**
     * Calls {@code callback} on the loop's turn whenever {@code channel} is writable (for a
     * {@link SocketChannel} still connecting: when the connection completes or fails), until
     * {@link #removeWriter}; asyncio's {@code add_writer}.
     *
     * @param channel a channel in non-blocking mode
     * @param callback what to call
     * @return the handle of the callback
     * @throws IllegalArgumentException if the channel is blocking or closed
     * @throws IllegalStateException off the loop's turn or on a closed loop
     */
    public Handle addWriter(SelectableChannel channel, Runnable callback) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(callback, "callback");
        return selector("addWriter").add(channel, callback, true);
    }

    /**
     * Stops watching {@code channel} for writing; asyncio's {@code remove_writer}.
     *
     * @param channel the channel, open or already closed
     * @return whether a writer was registered
     * @throws IllegalStateException off the loop's turn
     */
    public boolean removeWriter(SelectableChannel channel) {
        Objects.requireNonNull(channel, "channel");
        return selector("removeWriter").remove(channel, true);
    }

    // ------------------------------------------------------------------ signals

    /**
     * Calls {@code callback} on the loop's turn each time the process receives {@code signal}, until
     * {@link #removeSignalHandler} or the loop closes; asyncio's {@code add_signal_handler}. Replaces
     * this loop's previous handler for the signal. The callback runs as a
     * {@link EventLoop#callSoonThreadsafe(Runnable, Context)} callback in a copy of the context current
     * now (the same copy every time, as asyncio's handle); an exception it throws goes to the loop's
     * exception handler. Signals that arrive while the loop is not running are handled when it runs.
     *
     * <p><b>JVM mapping.</b> Python allows signal handlers on the main thread's loop only; here any loop
     * may have them, one per signal per loop, and a signal is delivered to every loop that handles it.
     * Handling a signal replaces the JVM's own handler for it until the last loop removes its handler
     * or closes, when the JVM's handler is put back: for SIGINT, SIGTERM and SIGHUP that is the one
     * that runs the shutdown hooks and exits, so while a loop handles them they no longer end the JVM.
     * The JVM reserves SIGQUIT (thread dumps; {@code -Xrs} releases it), SIGSEGV, SIGFPE and SIGILL:
     * those fail with {@link IllegalArgumentException}, as do SIGKILL and SIGSTOP, which no process
     * can catch (asyncio raises {@code RuntimeError} for those). SIGUSR2, SIGBUS and SIGPIPE carry
     * JVM-internal handlers that the JVM lets a program replace; prefer SIGUSR1, SIGHUP or SIGWINCH.
     * Uses {@code sun.misc.Signal} (module {@code jdk.unsupported}, present in every JDK build); on a
     * platform without POSIX signals only the names the JVM knows there work.
     *
     * @param signal the signal's name, with or without "SIG": {@code "SIGUSR1"}, {@code "HUP"}
     * @param callback what to call on the loop's turn
     * @throws IllegalArgumentException if the signal is unknown, cannot be caught or is reserved by
     *     the JVM (asyncio's {@code ValueError}/{@code RuntimeError})
     * @throws IllegalStateException off the loop's turn or on a closed loop
     */
    public void addSignalHandler(String signal, Runnable callback) {
        Objects.requireNonNull(signal, "signal");
        Objects.requireNonNull(callback, "callback");
        loop.engine.checkThread("addSignalHandler");
        if (loop.isClosed()) {
            throw new IllegalStateException("Event loop is closed");
        }
        SignalHandlers.add(loop, signal, callback);
    }

    /**
     * Removes this loop's handler for {@code signal}; asyncio's {@code remove_signal_handler}. If no
     * other loop handles the signal, the JVM's previous handler is put back.
     *
     * @param signal the signal's name, with or without "SIG"
     * @return whether this loop had a handler for it
     * @throws IllegalArgumentException if the signal is unknown or cannot be caught
     * @throws IllegalStateException off the loop's turn
     */
    public boolean removeSignalHandler(String signal) {
        Objects.requireNonNull(signal, "signal");
        loop.engine.checkThread("removeSignalHandler");
        return SignalHandlers.remove(loop, signal);
    }

    // ------------------------------------------------------------------ socket coroutines

    /**
     * Reads up to {@code maxBytes} from {@code channel}, suspending until some data arrives; asyncio's
     * {@code sock_recv}.
     *
     * @param channel a non-blocking readable channel (socket, pipe)
     * @param maxBytes the most bytes to return, positive
     * @param <C> the channel type
     * @return the bytes read; empty at end of stream
     * @throws IOException from the channel (a reset peer gives {@code java.net.SocketException})
     * @throws CancelledError if the calling task is cancelled meanwhile (nothing was read then)
     * @throws IllegalStateException if not called from a coroutine of this loop
     */
    public <C extends SelectableChannel & ReadableByteChannel> byte[] sockRecv(C channel, int maxBytes) throws IOException {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        }
        ByteBuffer buf = ByteBuffer.allocate(maxBytes);
        int n = sockRecvInto(channel, buf);
        return n == 0 ? new byte[0] : Arrays.copyOf(buf.array(), n);
    }

    /**
     * Reads into {@code buffer}, suspending until some data arrives; asyncio's {@code sock_recv_into}.
     *
     * @param channel a non-blocking readable channel
     * @param buffer where the bytes go, from its position; must have room
     * @param <C> the channel type
     * @return how many bytes were read; 0 at end of stream
     * @throws IOException from the channel
     * @throws CancelledError if the calling task is cancelled meanwhile
     * @throws IllegalStateException if not called from a coroutine of this loop
     */
    public <C extends SelectableChannel & ReadableByteChannel> int sockRecvInto(C channel, ByteBuffer buffer) throws IOException {
        Objects.requireNonNull(channel, "channel");
        if (!buffer.hasRemaining()) {
            throw new IllegalArgumentException("the buffer has no room left: " + buffer);
        }
        checkCoroutine("sockRecvInto");
        checkNonBlocking(channel);
        for (;;) {
            int n = channel.read(buffer);
            if (n != 0) {
                return Math.max(n, 0);
            }
            awaitReady(channel, false);
        }
    }

    /**
     * Writes all of {@code data}, suspending while the channel's send buffer is full; asyncio's
     * {@code sock_sendall}.
     *
     * @param channel a non-blocking writable channel
     * @param data the bytes, from position to limit; the position advances as they are sent
     * @param <C> the channel type
     * @throws IOException from the channel (a reset peer gives {@code java.net.SocketException})
     * @throws CancelledError if the calling task is cancelled meanwhile; the buffer's position then
     *     says how much was sent
     * @throws IllegalStateException if not called from a coroutine of this loop
     */
    public <C extends SelectableChannel & WritableByteChannel> void sockSendall(C channel, ByteBuffer data) throws IOException {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(data, "data");
        checkCoroutine("sockSendall");
        checkNonBlocking(channel);
        while (data.hasRemaining()) {
            if (channel.write(data) == 0) {
                awaitReady(channel, true);
            }
        }
    }

    /**
     * Writes all of {@code data}; see {@link #sockSendall(SelectableChannel, ByteBuffer)}.
     *
     * @param channel a non-blocking writable channel
     * @param data the bytes
     * @param <C> the channel type
     * @throws IOException from the channel
     */
    public <C extends SelectableChannel & WritableByteChannel> void sockSendall(C channel, byte[] data) throws IOException {
        sockSendall(channel, ByteBuffer.wrap(data));
    }

    /**
     * Connects {@code channel} to {@code address}, suspending until the connection is established;
     * asyncio's {@code sock_connect}. An unresolved {@link InetSocketAddress} is resolved first with
     * {@link #getaddrinfo} (off the loop), and its first address is used.
     *
     * @param channel a non-blocking, unconnected socket channel
     * @param address where to connect (an {@link InetSocketAddress} or a
     *     {@link java.net.UnixDomainSocketAddress})
     * @throws IOException if the connection fails ({@code java.net.ConnectException} when refused)
     * @throws CancelledError if the calling task is cancelled meanwhile (the channel is then left in an
     *     undefined state; close it)
     */
    public void sockConnect(SocketChannel channel, SocketAddress address) throws IOException {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(address, "address");
        checkCoroutine("sockConnect");
        checkNonBlocking(channel);
        if (address instanceof InetSocketAddress isa && isa.isUnresolved()) {
            address = getaddrinfo(isa.getHostString(), isa.getPort()).get(0);
        }
        if (channel.connect(address)) {
            return;
        }
        while (true) {
            awaitReady(channel, true);
            if (channel.finishConnect()) {
                return;
            }
        }
    }

    /**
     * Accepts a connection, suspending until one arrives; asyncio's {@code sock_accept}.
     *
     * @param server a non-blocking, bound server channel
     * @return the new connection, already in non-blocking mode (its remote address is
     *     {@code getRemoteAddress()})
     * @throws IOException from the channel
     * @throws CancelledError if the calling task is cancelled meanwhile
     */
    public SocketChannel sockAccept(ServerSocketChannel server) throws IOException {
        Objects.requireNonNull(server, "server");
        checkCoroutine("sockAccept");
        checkNonBlocking(server);
        for (;;) {
            SocketChannel c = server.accept();
            if (c != null) {
                c.configureBlocking(false);
                return c;
            }
            awaitReady(server, false);
        }
    }

    /**
     * Sends {@code file} (from {@code offset}, {@code count} bytes or to its end) over {@code sock},
     * suspending while the socket's send buffer is full; asyncio's {@code sock_sendfile}. The bytes go
     * from the file to the socket inside the kernel where the platform can
     * ({@link FileChannel#transferTo}: {@code sendfile(2)} on Linux), else through a JDK buffer; so
     * asyncio's {@code fallback=} and {@code SendfileNotAvailableError} are not needed. As in asyncio,
     * the file's position is left after the last byte sent (also when cancelled midway).
     *
     * <p>The file is read on the loop's thread, as asyncio's {@code os.sendfile} does: fine for a local
     * file in the page cache, slow for a network file system.
     *
     * @param sock a non-blocking, connected socket channel
     * @param file the file, open for reading
     * @param offset where to start in the file, at least 0
     * @param count how many bytes to send, positive, or {@code null} for all up to the end of the file
     * @return how many bytes were sent (fewer than {@code count} if the file ends first)
     * @throws IOException from the socket or the file
     * @throws IllegalArgumentException if {@code offset} is negative or {@code count} not positive
     * @throws CancelledError if the calling task is cancelled meanwhile
     * @throws IllegalStateException if not called from a coroutine of this loop
     */
    public long sockSendfile(SocketChannel sock, FileChannel file, long offset, Long count) throws IOException {
        Objects.requireNonNull(sock, "sock");
        Objects.requireNonNull(file, "file");
        checkSendfileRange(offset, count);
        checkCoroutine("sockSendfile");
        checkNonBlocking(sock);
        long sent = 0;
        try {
            for (;;) {
                long end = count == null ? file.size() : Math.min(file.size(), offset + count);
                long left = end - (offset + sent);
                if (left <= 0) {
                    return sent;
                }
                long n = file.transferTo(offset + sent, left, sock);
                sent += n;
                if (n == 0) {
                    awaitReady(sock, true);
                }
            }
        } finally {
            if (sent > 0) {
                file.position(offset + sent);
            }
        }
    }

    /** Checks asyncio's {@code sendfile} arguments, with its messages. */
    private static void checkSendfileRange(long offset, Long count) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be a non-negative integer (got " + offset + ")");
        }
        if (count != null && count <= 0) {
            throw new IllegalArgumentException("count must be a positive integer (got " + count + ")");
        }
    }

    /**
     * Receives one datagram of up to {@code maxBytes}, suspending until one arrives; asyncio's
     * {@code sock_recvfrom}. A longer datagram is cut to {@code maxBytes}, as {@code recvfrom} does.
     *
     * @param channel a non-blocking datagram channel, bound (or connected)
     * @param maxBytes the most bytes to return, positive
     * @return the bytes and the sender's address
     * @throws IOException from the channel
     * @throws CancelledError if the calling task is cancelled meanwhile (nothing was received then)
     * @throws IllegalStateException if not called from a coroutine of this loop
     */
    public Datagram sockRecvfrom(DatagramChannel channel, int maxBytes) throws IOException {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        }
        ByteBuffer buf = ByteBuffer.allocate(maxBytes);
        SocketAddress from = sockRecvfromInto(channel, buf);
        return new Datagram(Arrays.copyOf(buf.array(), buf.position()), from);
    }

    /**
     * Receives one datagram into {@code buffer}, suspending until one arrives; asyncio's
     * {@code sock_recvfrom_into}, which returns {@code (nbytes, address)}: here the buffer's position
     * advances by the number of bytes.
     *
     * @param channel a non-blocking datagram channel
     * @param buffer where the bytes go, from its position; a longer datagram is cut to its room
     * @return the sender's address
     * @throws IOException from the channel
     * @throws CancelledError if the calling task is cancelled meanwhile
     * @throws IllegalStateException if not called from a coroutine of this loop
     */
    public SocketAddress sockRecvfromInto(DatagramChannel channel, ByteBuffer buffer) throws IOException {
        Objects.requireNonNull(channel, "channel");
        if (!buffer.hasRemaining()) {
            throw new IllegalArgumentException("the buffer has no room left: " + buffer);
        }
        checkCoroutine("sockRecvfromInto");
        checkNonBlocking(channel);
        for (;;) {
            SocketAddress from = channel.receive(buffer);
            if (from != null) {
                return from;
            }
            awaitReady(channel, false);
        }
    }

    /**
     * Sends {@code data} as one datagram to {@code address}, suspending while the channel cannot take
     * it; asyncio's {@code sock_sendto}.
     *
     * @param channel a non-blocking datagram channel
     * @param data the datagram, from position to limit (the position advances when it is sent)
     * @param address where to send it; for a connected channel, its peer
     * @return the number of bytes sent
     * @throws IOException from the channel
     * @throws CancelledError if the calling task is cancelled meanwhile (nothing was sent then)
     * @throws IllegalStateException if not called from a coroutine of this loop
     */
    public int sockSendto(DatagramChannel channel, ByteBuffer data, SocketAddress address) throws IOException {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(address, "address");
        checkCoroutine("sockSendto");
        checkNonBlocking(channel);
        int size = data.remaining();
        while (channel.send(data, address) == 0 && size > 0) {
            awaitReady(channel, true);
        }
        return size;
    }

    /**
     * Resolves {@code host} off the loop and suspends until done; asyncio's {@code getaddrinfo}, returning
     * socket addresses instead of asyncio's 5-tuples (a Java address carries its own family; socket type
     * and protocol are chosen by the channel class).
     *
     * <p>As in asyncio, the lookup runs on the loop's default executor ({@link EventLoop#runInExecutor}
     * with {@code null}: at most {@code min(32, cores + 4)} threads unless another executor was set), so
     * a burst of lookups never starts more threads than that. Cancelling the calling task takes a lookup
     * that has not started out of the executor's queue; one already in {@code InetAddress.getAllByName}
     * cannot be stopped (the JDK's resolver is not interruptible) and its outcome is dropped.
     *
     * @param host a host name or literal address; {@code null} means the loopback address
     * @param port the port for the returned addresses
     * @return the addresses in the resolver's order, never empty
     * @throws UnknownHostException if the name does not resolve (asyncio's {@code socket.gaierror})
     * @throws IllegalArgumentException if {@code port} is not in 0..65535
     * @throws IllegalStateException if not called from a coroutine of this loop, or after
     *     {@link EventLoop#shutdownDefaultExecutor} (asyncio fails the same way)
     * @throws CancelledError if the calling task is cancelled meanwhile
     */
    public List<InetSocketAddress> getaddrinfo(String host, int port) throws UnknownHostException {
        checkCoroutine("getaddrinfo");
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        InetAddress[] addresses = resolve(() -> InetAddress.getAllByName(host));
        List<InetSocketAddress> out = new ArrayList<>(addresses.length);
        for (InetAddress a : addresses) {
            out.add(new InetSocketAddress(a, port));
        }
        return out;
    }

    /**
     * Looks up the host name of {@code address} (a reverse lookup) off the loop and suspends until done;
     * asyncio's {@code getnameinfo}, which also returns the port as a service name: a Java caller already
     * holds the port. Runs on the loop's default executor, as {@link #getaddrinfo} does.
     *
     * @param address the address to name
     * @return its host name, or the literal address if the resolver has no name for it (as
     *     {@code getnameinfo} without {@code NI_NAMEREQD})
     * @throws IllegalStateException if not called from a coroutine of this loop, or after
     *     {@link EventLoop#shutdownDefaultExecutor}
     * @throws CancelledError if the calling task is cancelled meanwhile
     */
    public String getnameinfo(InetAddress address) {
        checkCoroutine("getnameinfo");
        Objects.requireNonNull(address, "address");
        try {
            return resolve(address::getHostName);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible); // getHostName() never throws it
        }
    }

    /** A resolver call on the default executor; its {@link UnknownHostException} is rethrown as is. */
    private <T> T resolve(java.util.concurrent.Callable<T> lookup) throws UnknownHostException {
        try {
            return loop.runInExecutor(null, lookup).await();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) { // await() rethrows the lookup's checked exception as it is
            if (e instanceof UnknownHostException unknown) {
                throw unknown;
            }
            throw new IllegalStateException("the resolver failed: " + e, e);
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Suspends until {@code channel} is ready for reading or writing, counting as I/O in flight. */
    private void awaitReady(SelectableChannel channel, boolean write) {
        Future<Void> ready = loop.createFuture();
        LoopSelector s = loop.engine.selector();
        s.add(channel, () -> {
            if (!ready.isDone()) {
                ready.setResult(null);
            }
        }, write);
        LoopEngine.of(loop).beginIo();
        try {
            ready.await();
        } finally {
            LoopEngine.of(loop).endIo();
            s.remove(channel, write);
        }
    }

    private void checkCoroutine(String method) {
        Task<?> t = EventLoopEngine.requireCurrentTask(method + "()");
        if (t.loop != loop) {
            throw new IllegalStateException(method + "() was called from a coroutine of another loop " + t.loop
                    + "; use EventLoopIo.current() or EventLoopIo.of(thatLoop)");
        }
    }

    private static void checkNonBlocking(SelectableChannel channel) {
        if (channel.isBlocking()) {
            throw new IllegalArgumentException("the channel must be in non-blocking mode: call "
                    + "channel.configureBlocking(false) first: " + channel);
        }
    }
}
