package dev.asyncio.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A loop's I/O readiness, asyncio's selector event loop part: a {@link Selector} whose ready keys
 * become ready callbacks of the loop ({@code _process_events} / {@code _add_callback}).
 *
 * <p><b>When it selects.</b> Everything here runs on the loop's turn. The loop calls
 * {@link Poller#poll} with timeout 0 at the start of every iteration that has ready work, and with
 * the time to its next deadline when idle. With no channel registered, no selector call is made at
 * all. A zero-timeout poll ({@link #pollNow}) is a non-blocking {@code selectNow} (an
 * {@code epoll_wait} with timeout 0, about a microsecond), so it never delays a ready coroutine by more
 * than that; the system property {@code dev.asyncio.io.minPollIntervalMicros} (default 0, asyncio's
 * behaviour: poll every iteration) makes a busy loop skip zero-timeout polls until that many
 * microseconds have passed since the last one, trading I/O latency for fewer system calls when
 * thousands of tiny iterations run between I/O events.
 *
 * <p><b>Why a selector on the turn</b> (docs/design.md §5). The alternative, a blocking channel operation per
 * pending read on a helper virtual thread whose result comes back through {@code callSoonThreadsafe},
 * pays a cross-thread wake-up (the JDK's poller thread unparking the helper, 15–50 µs here) for every
 * I/O operation, and cannot run on the task's own thread, which holds the turn. Measured with the echo
 * workload (50 clients × 2,000 round trips of 64 B, server and clients on one loop), the selector loop
 * ran at or above the same program written with blocking sockets on one virtual thread per connection
 * end, which is that alternative without its extra hop back to the loop (numbers in the I/O report;
 * the JMH benchmark in {@code benchmarks} is the reference).
 *
 * <p><b>Which thread selects.</b> The turn-holder, which may be a task's virtual thread: the JDK then
 * parks that virtual thread on its own poller instead of blocking a carrier (JDK 22+ selectors), in both
 * carrier modes; {@link Poller#wakeup()} interrupts the wait through {@link Selector#wakeup()}, and only
 * while a blocking select is in progress, so a busy loop's threadsafe calls cost no system call.
 *
 * <p><b>Callbacks.</b> The engine names no API type: a reader or writer callback is an {@code H} here (the
 * API's {@code Handle}), and the loop's one subclass supplies what is specific to it: making one, whether it
 * was cancelled, cancelling it, scheduling it in the ready queue, and reporting a failed select.
 *
 * @param <H> the type of the loop's callback handles
 */
public abstract class SelectorPoller<H> implements Poller.Io {
    private static final long MIN_POLL_INTERVAL_NANOS =
            Math.max(0, Long.getLong("dev.asyncio.io.minPollIntervalMicros", 0)) * 1000;

    private final Selector selector;
    private final Map<SelectableChannel, Registration<H>> registrations = new IdentityHashMap<>();
    private final Consumer<SelectionKey> onReady = this::ready;
    /** Registrations whose interest set is not empty: while 0, the loop does not select. */
    private int interested;
    private long lastPollNanos;

    /** One channel's reader and writer callbacks (asyncio's selector key data {@code (reader, writer)}). */
    private static final class Registration<H> {
        final SelectableChannel channel;
        SelectionKey key;
        H reader;
        H writer;
        int ops;

        Registration(SelectableChannel channel) {
            this.channel = channel;
        }
    }

    /**
     * Opens the selector; on the loop's turn, or before the loop runs.
     *
     * @throws UncheckedIOException if the JDK cannot open a {@link Selector}
     */
    protected SelectorPoller() {
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a java.nio Selector for the event loop", e);
        }
    }

    @Override
    public final boolean hasRegistrations() {
        return interested > 0;
    }

    @Override
    public final void pollNow() {
        if (MIN_POLL_INTERVAL_NANOS > 0) {
            long now = System.nanoTime();
            if (now - lastPollNanos < MIN_POLL_INTERVAL_NANOS) {
                return;
            }
            lastPollNanos = now;
        }
        try {
            selector.selectNow(onReady);
        } catch (IOException | ClosedSelectorException e) {
            selectFailed(e);
        }
    }

    @Override
    public final void pollBlocking(long timeoutNanos) {
        // Selector time-outs are whole milliseconds: round up, as asyncio does, so a loop whose next
        // timer is 0.3 ms away waits instead of spinning on zero-timeout selects.
        long millis = timeoutNanos < 0 ? 0 : Math.max(1, (timeoutNanos + 999_999) / 1_000_000);
        try {
            selector.select(onReady, millis);
        } catch (IOException | ClosedSelectorException e) {
            selectFailed(e);
        }
        lastPollNanos = System.nanoTime();
    }

    /**
     * @param callback what to call when the channel is ready
     * @return a handle for {@code callback}, run in a copy of the current context
     */
    protected abstract H handle(Runnable callback);

    /**
     * @param handle a reader or writer
     * @return whether it was cancelled, so that it is removed instead of run
     */
    protected abstract boolean isCancelled(H handle);

    /**
     * Cancels a reader or writer that was replaced or removed.
     *
     * @param handle the handle
     */
    protected abstract void cancel(H handle);

    /**
     * Its channel is ready: the handle joins the loop's ready queue.
     *
     * @param handle the handle
     */
    protected abstract void schedule(H handle);

    /**
     * A select failed (the selector is broken or was closed): reported to the loop's exception handler.
     *
     * @param e the failure
     */
    protected abstract void selectFailed(Exception e);

    @Override
    public final void wakeupSelector() {
        selector.wakeup();
    }

    private void ready(SelectionKey key) {
        @SuppressWarnings("unchecked")
        Registration<H> r = (Registration<H>) key.attachment();
        int ops;
        try {
            ops = key.readyOps();
        } catch (CancelledKeyException closed) {
            return;
        }
        H h = r.reader;
        if (h != null && (ops & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) {
            if (isCancelled(h)) {
                remove(r.channel, false);
            } else {
                schedule(h);
            }
        }
        h = r.writer;
        if (h != null && (ops & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0) {
            if (isCancelled(h)) {
                remove(r.channel, true);
            } else {
                schedule(h);
            }
        }
    }

    /**
     * asyncio's {@code _add_reader}/{@code _add_writer}: replaces (and cancels) a previous callback. On the turn.
     *
     * @param channel a channel in non-blocking mode
     * @param callback what to call whenever the channel is ready
     * @param write {@code true} for a writer, {@code false} for a reader
     * @return the callback's handle
     * @throws IllegalArgumentException if the channel is blocking or closed
     */
    public final H add(SelectableChannel channel, Runnable callback, boolean write) {
        Objects.requireNonNull(callback, "callback");
        if (channel.isBlocking()) {
            throw new IllegalArgumentException("the channel must be in non-blocking mode: call "
                    + "channel.configureBlocking(false) before registering it with the event loop: " + channel);
        }
        if (!channel.isOpen()) {
            throw new IllegalArgumentException("the channel is closed: " + channel);
        }
        H h = handle(callback);
        Registration<H> r = registrations.get(channel);
        if (r == null) {
            r = new Registration<>(channel);
            registrations.put(channel, r);
        }
        H old = write ? r.writer : r.reader;
        if (old != null) {
            cancel(old);
        }
        if (write) {
            r.writer = h;
        } else {
            r.reader = h;
        }
        update(r);
        return h;
    }

    /**
     * asyncio's {@code _remove_reader}/{@code _remove_writer}; on the turn.
     *
     * @param channel the channel
     * @param write {@code true} for the writer, {@code false} for the reader
     * @return whether a callback was registered (and is now cancelled)
     */
    public final boolean remove(SelectableChannel channel, boolean write) {
        Registration<H> r = registrations.get(channel);
        if (r == null) {
            return false;
        }
        H old = write ? r.writer : r.reader;
        if (write) {
            r.writer = null;
        } else {
            r.reader = null;
        }
        if (old != null) {
            cancel(old);
        }
        update(r);
        return old != null;
    }

    private void update(Registration<H> r) {
        int ops = 0;
        SelectableChannel ch = r.channel;
        int valid = ch.validOps();
        if (r.reader != null) {
            ops |= valid & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT);
        }
        if (r.writer != null) {
            ops |= valid & SelectionKey.OP_WRITE;
            // A socket still connecting reports writability only as OP_CONNECT.
            if (ch instanceof SocketChannel sc && sc.isConnectionPending()) {
                ops |= SelectionKey.OP_CONNECT;
            }
        }
        boolean wasInterested = r.ops != 0;
        r.ops = ops;
        if (r.reader == null && r.writer == null) {
            registrations.remove(ch);
        }
        try {
            if (r.key == null || !r.key.isValid()) {
                if (ops != 0) {
                    r.key = ch.register(selector, ops, r);
                }
            } else if (r.key.interestOps() != ops) {
                r.key.interestOps(ops);
            }
        } catch (ClosedChannelException | CancelledKeyException e) {
            r.ops = 0;
            registrations.remove(ch);
            if (wasInterested) {
                interested--;
            }
            if (ops != 0) {
                throw new IllegalArgumentException("the channel is closed: " + ch, e);
            }
            return;
        }
        if (wasInterested != (ops != 0)) {
            interested += ops != 0 ? 1 : -1;
        }
    }

    /**
     * @param channel the channel
     * @param write {@code true} for the writer, {@code false} for the reader
     * @return whether a reader or writer is registered for {@code channel}; on the turn
     */
    public final boolean isRegistered(SelectableChannel channel, boolean write) {
        Registration<H> r = registrations.get(channel);
        return r != null && (write ? r.writer : r.reader) != null;
    }

    @Override
    public final void close() {
        registrations.clear();
        interested = 0;
        try {
            selector.close();
        } catch (IOException ignored) {
            // nothing useful to do while closing the loop
        }
    }
}
