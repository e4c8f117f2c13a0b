package dev.asyncio;

import dev.asyncio.engine.MisuseAdvice;
import java.util.Arrays;

/**
 * Which loop belongs to the calling thread, in both of asyncio's senses, in one place: the
 * <em>running</em> loop (asyncio's {@code _get_running_loop}: the loop whose turn the calling thread
 * holds, found by a scan of the loops running now, since the turn moves between threads and few loops
 * run at once) and the loop <em>set</em> for the thread with {@link Asyncio#setEventLoop} (asyncio's
 * policy {@code get_event_loop}/{@code set_event_loop}, which {@link Asyncio#getEventLoop()} falls back
 * on). Also answers "which task is running here", with the error that says why there is none.
 */
final class LoopRegistry {
    private static volatile EventLoop[] running = new EventLoop[0];
    private static final ThreadLocal<EventLoop> THREAD_LOOP = new ThreadLocal<>();
    /**
     * The loop whose turn the calling thread can hold: set while a thread hosts a loop and for the whole
     * life of a task's thread. {@link #runningLoop()} then reads one thread-local and the holder of one
     * loop, instead of the holder of every running loop: the holders are written on every hand-over, so
     * a scan from a foreign thread (a Netty thread asking for the asyncio context of a request) missed
     * the cache once per running loop.
     */
    private static final ThreadLocal<EventLoop> TURN_LOOP = new ThreadLocal<>();

    private LoopRegistry() {
    }

    /**
     * The loop starts running (its host, the calling thread, took the turn, for one run or for its close).
     *
     * @return the loop whose turn the calling thread could hold before, for {@link #unregister}
     */
    static EventLoop register(EventLoop loop) {
        EventLoop previous = TURN_LOOP.get();
        TURN_LOOP.set(loop);
        addRunning(loop);
        TasksMBean.registerOnce();
        return previous;
    }

    private static synchronized void addRunning(EventLoop loop) {
        EventLoop[] now = running;
        EventLoop[] next = Arrays.copyOf(now, now.length + 1);
        next[now.length] = loop;
        running = next;
    }

    /**
     * The loop's run ended, on its host's thread.
     *
     * @param previous what {@link #register} returned
     */
    static void unregister(EventLoop loop, EventLoop previous) {
        removeRunning(loop);
        if (previous == null) {
            TURN_LOOP.remove(); // a pooled thread keeps no reference to the loop
        } else {
            TURN_LOOP.set(previous);
        }
    }

    private static synchronized void removeRunning(EventLoop loop) {
        EventLoop[] now = running;
        int i = Arrays.asList(now).indexOf(loop);
        if (i >= 0) {
            EventLoop[] next = new EventLoop[now.length - 1];
            System.arraycopy(now, 0, next, 0, i);
            System.arraycopy(now, i + 1, next, i, now.length - i - 1);
            running = next;
        }
    }

    /** @return the loops running now, for the debug watchdog; any thread */
    static EventLoop[] runningLoops() {
        return running;
    }

    /**
     * The loop whose turn the calling thread holds: the loop running the current coroutine or callback,
     * or {@code null} on any other thread. Any thread.
     */
    static EventLoop runningLoop() {
        EventLoop l = TURN_LOOP.get();
        return l != null && l.engine.turn.holder() == Thread.currentThread() ? l : null;
    }

    /** The calling thread is a task's thread of {@code loop}, for the rest of its life. */
    static void bindTaskThread(EventLoop loop) {
        TURN_LOOP.set(loop);
    }

    /** The task whose step is running on the calling thread, or a clear error saying why there is none. */
    static Task<?> requireCurrentTask(String operation) {
        EventLoop loop = runningLoop();
        if (loop == null) {
            throw new IllegalStateException(operation + " must be called from a coroutine running on an event loop, "
                    + "but thread '" + Thread.currentThread().getName() + "' is not running one; "
                    + MisuseAdvice.noLoop("start the coroutine with Asyncio.run(...) or loop.createTask(...)"));
        }
        Task<?> t = loop.engine.currentTask;
        if (t == null) {
            throw new IllegalStateException(operation + " was called from a callback of " + loop
                    + ", not from a coroutine; callbacks cannot suspend: schedule a task with createTask(...) instead");
        }
        if (loop.engine.isClosing()) {
            throw new IllegalStateException(operation + ": the event loop is closed, " + t.getName() + " cannot suspend any more");
        }
        return t;
    }

    /** @return the loop set for the calling thread with {@link Asyncio#setEventLoop}, or {@code null} */
    static EventLoop threadLoop() {
        return THREAD_LOOP.get();
    }

    /** asyncio's {@code set_event_loop}: {@code null} clears it. */
    static void setThreadLoop(EventLoop loop) {
        if (loop == null) {
            THREAD_LOOP.remove();
        } else {
            THREAD_LOOP.set(loop);
        }
    }
}
