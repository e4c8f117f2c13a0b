package dev.asyncio.engine;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Which loop belongs to the calling thread, in both of asyncio's senses, in one place: the <em>running</em>
 * loop (asyncio's {@code _get_running_loop}: the loop whose turn the calling thread holds) and the loop
 * <em>set</em> for the thread with {@code Asyncio.setEventLoop} (asyncio's policy
 * {@code get_event_loop}/{@code set_event_loop}, which {@code Asyncio.getEventLoop()} falls back on). Also
 * the loops running now, for the task listings. Thread-safe.
 *
 * <p>A loop is its {@link LoopEngine} here, and the loop set for a thread is an {@code Object}; the API
 * package builds its errors ("no running event loop", "called from a callback") on top.
 */
public final class LoopRegistry {
    private static final List<LoopEngine> RUNNING = new CopyOnWriteArrayList<>();
    /**
     * The running loop-carrier loops with their hosts: a task thread of such a loop is mounted on its host,
     * so it finds its loop by its carrier, with no thread-local of its own. A thread-local costs a task
     * thread its first map (136 B, kept while the task is parked), and a million parked tasks are a
     * million of them. A plain array, read on every lookup from a virtual thread, replaced whole under the
     * class lock; its entries are immutable and apart from the loops themselves, so that the scan reads no
     * field that another loop writes on every hand-over.
     */
    private static volatile CarrierHost[] carrierHosts = new CarrierHost[0];

    private record CarrierHost(Thread host, LoopEngine loop) {
    }
    private static final ThreadLocal<Object> THREAD_LOOP = new ThreadLocal<>();
    /**
     * The loop whose turn the calling thread can hold: set while a thread hosts a loop and for the whole
     * life of a portable task's thread. {@link #running()} then reads one thread-local and the holder of one loop,
     * instead of the holder of every running loop: the holders are written on every hand-over, so a scan
     * from a foreign thread (a Netty thread asking for the asyncio context of a request) missed the cache
     * once per running loop.
     */
    private static final ThreadLocal<LoopEngine> TURN_LOOP = new ThreadLocal<>();

    private LoopRegistry() {
    }

    /**
     * The loop starts running: its host, the calling thread, took the turn, for one run or for its close.
     *
     * @param loop the loop's engine
     * @param carriesItsTasks whether the host carries the loop's task threads (loop-carrier mode): they then
     *     find the loop by their carrier, and {@link #bindTaskThread} is not called for them
     * @return the loop whose turn the calling thread could hold before, for {@link #unregister}
     */
    public static LoopEngine register(LoopEngine loop, boolean carriesItsTasks) {
        LoopEngine previous = TURN_LOOP.get();
        TURN_LOOP.set(loop);
        addRunning(loop, carriesItsTasks ? Thread.currentThread() : null);
        return previous;
    }

    private static synchronized void addRunning(LoopEngine loop, Thread carrierHost) {
        RUNNING.add(loop);
        if (carrierHost != null) {
            CarrierHost[] now = carrierHosts;
            CarrierHost[] next = Arrays.copyOf(now, now.length + 1);
            next[now.length] = new CarrierHost(carrierHost, loop);
            carrierHosts = next;
        }
    }

    /**
     * The loop's run ended, on its host's thread.
     *
     * @param loop the loop's engine
     * @param previous what {@link #register} returned
     */
    public static void unregister(LoopEngine loop, LoopEngine previous) {
        removeRunning(loop);
        if (previous == null) {
            TURN_LOOP.remove(); // a pooled thread keeps no reference to the loop
        } else {
            TURN_LOOP.set(previous);
        }
    }

    private static synchronized void removeRunning(LoopEngine loop) {
        RUNNING.remove(loop);
        carrierHosts = Arrays.stream(carrierHosts).filter(c -> c.loop() != loop).toArray(CarrierHost[]::new);
    }

    /** @return the loops running now, for the task listings ({@code ps}, the tasks MXBean); a read-only view; any thread */
    public static List<LoopEngine> runningLoops() {
        return Collections.unmodifiableList(RUNNING);
    }

    /**
     * @return the engine of the loop whose turn the calling thread holds (it runs one of its coroutines or
     *     callbacks), or {@code null} on any other thread; any thread
     */
    public static LoopEngine running() {
        Thread me = Thread.currentThread();
        if (me.isVirtual()) {
            CarrierHost[] hosts = carrierHosts;
            if (hosts.length > 0) {
                Thread carrier = VirtualThreadInternals.currentCarrierThread();
                for (CarrierHost c : hosts) {
                    if (c.host() == carrier) {
                        LoopEngine l = c.loop();
                        return l.turnHolder() == me ? l : null;
                    }
                }
            }
        }
        LoopEngine l = TURN_LOOP.get();
        return l != null && l.turnHolder() == me ? l : null;
    }

    /**
     * The calling thread is a task's thread of {@code loop}, for the rest of its life; only in portable mode
     * (see {@link #register}).
     *
     * @param loop the loop's engine
     */
    public static void bindTaskThread(LoopEngine loop) {
        TURN_LOOP.set(loop);
    }

    /** @return the loop set for the calling thread with {@code Asyncio.setEventLoop}, or {@code null} */
    public static Object threadLoop() {
        return THREAD_LOOP.get();
    }

    /**
     * asyncio's {@code set_event_loop} for the calling thread.
     *
     * @param loop the loop, or {@code null} to clear it
     */
    public static void setThreadLoop(Object loop) {
        if (loop == null) {
            THREAD_LOOP.remove();
        } else {
            THREAD_LOOP.set(loop);
        }
    }
}
