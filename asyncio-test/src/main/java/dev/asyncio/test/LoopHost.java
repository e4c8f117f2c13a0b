package dev.asyncio.test;

import dev.asyncio.EventLoop;
import dev.asyncio.Task;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a test loop on a platform thread of its own while the caller waits with a real-time limit, so
 * that a stuck test fails with a dump of its tasks instead of hanging the build.
 *
 * <p>When the limit passes, the loop is asked (through {@code callSoonThreadsafe}) to dump its tasks and
 * cancel them; that ends any test that is merely waiting. If the loop does not answer within a grace
 * period, a coroutine is blocking its thread without suspending: the dump is then taken from the
 * outside, best effort, the loop is abandoned to its (daemon) thread and the test fails all the same.
 */
final class LoopHost {
    private static final AtomicLong COUNTER = new AtomicLong();
    /** How long a loop that timed out gets to answer the request to cancel its tasks: as long again as the limit, at most 5 s. */
    private static final long MAX_GRACE_MILLIS = 5_000;

    private LoopHost() {
    }

    /**
     * Runs {@code testLoop}'s loop until {@code main} is done, or until {@code limit} of real time has
     * passed.
     *
     * @return the task's result
     * @throws Throwable the task's exception (the same object), or an {@link AssertionError} with a
     *     dump of the tasks if the limit passed
     */
    static <T> T run(TestLoop testLoop, Task<T> main, Duration limit) throws Throwable {
        EventLoop loop = testLoop.loop();
        Object[] outcome = new Object[2];
        Thread host = Thread.ofPlatform().daemon(true).name("asyncio-test-loop-" + COUNTER.incrementAndGet())
                .unstarted(() -> {
                    try {
                        outcome[0] = loop.runUntilComplete(main);
                    } catch (Throwable t) {
                        outcome[1] = t;
                    }
                });
        host.start();
        boolean interrupted = false;
        try {
            interrupted = !join(host, limit.toMillis());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (!host.isAlive()) {
            if (outcome[1] != null) {
                throw (Throwable) outcome[1];
            }
            @SuppressWarnings("unchecked")
            T value = (T) outcome[0];
            return value;
        }
        throw timedOut(testLoop, host, limit, interrupted);
    }

    /** @return false if interrupted while waiting (the wait then ends early) */
    private static boolean join(Thread host, long millis) {
        try {
            host.join(Math.max(1, millis));
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private static AssertionError timedOut(TestLoop testLoop, Thread host, Duration limit, boolean interrupted) {
        EventLoop loop = testLoop.loop();
        String why = interrupted ? "was interrupted" : "timed out after " + limit + " of real time";
        long grace = Math.min(MAX_GRACE_MILLIS, Math.max(1, limit.toMillis()));
        String[] dump = new String[1];
        try {
            loop.callSoonThreadsafe(() -> {
                dump[0] = testLoop.dumpTasks();
                for (Task<?> t : loop.allTasks()) {
                    t.cancel("the test " + why);
                }
            });
        } catch (IllegalStateException closed) {
            // the loop closed meanwhile: nothing to cancel
        }
        try {
            host.join(grace);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String text;
        if (host.isAlive()) {
            testLoop.abandon();
            String outside;
            try {
                outside = testLoop.dumpTasks();
            } catch (RuntimeException racing) {
                outside = "(the tasks could not be listed from outside the loop: " + racing + ")";
            }
            text = "The test " + why + " and its loop did not respond within " + grace
                    + " ms: a coroutine is blocking its thread without suspending (a blocking call, a busy loop, "
                    + "or blocking on a Reactor/RxJava result inside the loop). The loop was abandoned on thread '"
                    + host.getName() + "'.\n" + outside;
        } else {
            text = "The test " + why + " (virtual time " + testLoop.currentTime() + ", time mode "
                    + testLoop.timeMode() + "); its tasks were cancelled. "
                    + (testLoop.timeMode() == TimeMode.MANUAL
                            ? "In MANUAL time mode, time moves only through advanceTimeBy/advanceTimeTo/advanceUntilIdle. "
                            : "")
                    + "What each task awaited:\n" + (dump[0] != null ? dump[0] : "(no dump)");
        }
        return new AssertionError(text);
    }
}
