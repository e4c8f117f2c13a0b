package dev.asyncio.engine;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executor a loop creates for {@code runInExecutor(null, …)} and {@code toThread} when none was
 * set: asyncio's {@code ThreadPoolExecutor()}, i.e. at most {@code min(32, cores + 4)} threads.
 *
 * <p>Why platform threads and not virtual ones: work sent to a thread is either blocking I/O or CPU
 * work, and CPU work (or a native call, or a class initializer) on a virtual thread holds its carrier;
 * on the default virtual-thread scheduler those carriers are the very threads that run the loops'
 * coroutines in {@code CarrierMode.PORTABLE} mode, so a few CPU-bound jobs would stall every loop. A
 * bounded pool of platform threads cannot do that, and, like asyncio's, it also bounds how many jobs
 * run at once. For many concurrent blocking I/O calls, set a virtual-thread executor with
 * {@code EventLoop.setDefaultExecutor}.
 *
 * <p>The threads are daemons (a forgotten loop does not keep the JVM alive), named
 * {@code asyncio-executor-N-M}, and end after 60 s idle.
 */
public final class DefaultExecutor {
    private static final AtomicInteger POOLS = new AtomicInteger();

    private DefaultExecutor() {
    }

    /** @return asyncio's default pool size, {@code min(32, cores + 4)} */
    public static int defaultMaxThreads() {
        return Math.min(32, Runtime.getRuntime().availableProcessors() + 4);
    }

    /** @return a new pool of the default size, of daemon threads that end after 60 s idle */
    public static ExecutorService create() {
        int pool = POOLS.incrementAndGet();
        AtomicInteger threadNumber = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "asyncio-executor-" + pool + "-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        int max = defaultMaxThreads();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(max, max, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), factory);
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }
}
