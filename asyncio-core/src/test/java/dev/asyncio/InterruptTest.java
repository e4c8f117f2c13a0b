package dev.asyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Thread#interrupt()} of a loop's host or of a task's thread: acted on or kept, never spun on
 * (issue 11: an interrupted host once spun at 100% CPU in its park loop). Every test runs in both
 * carrier modes (the surefire executions). "Never spins" is checked by the thread's state: a thread
 * that spins on a set flag stays RUNNABLE; one that consumed it parks (WAITING) again.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InterruptTest {
    /** Upper bound of a wait for a state the code reaches at once; it only matters when the code is broken. */
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private static void awaitLatch(CountDownLatch latch) throws InterruptedException {
        assertTrue(latch.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS), "the loop never got there");
    }

    /** Waits until {@code t} is parked or blocked; fails if it stays runnable (it spins) for the whole bound. */
    private static void awaitParked(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (t.getState() == Thread.State.RUNNABLE || t.getState() == Thread.State.NEW) {
            if (System.nanoTime() > deadline) {
                fail(t + " stayed RUNNABLE: it spins instead of parking");
            }
            Thread.sleep(1);
        }
    }

    private static void join(Thread t) throws InterruptedException {
        assertTrue(t.join(PATIENCE), () -> t + " did not end");
    }

    @Test
    void interruptingTheHostOfAsyncioRunCancelsTheMainTaskAndFailsWithATaskDump() throws Exception {
        CountDownLatch waiting = new CountDownLatch(1);
        AtomicBoolean finallyRan = new AtomicBoolean();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean flagAfterRun = new AtomicBoolean();
        Thread host = Thread.ofPlatform().name("interrupted-host").start(() -> {
            try {
                Asyncio.run(() -> {
                    Future<Void> never = Asyncio.getRunningLoop().createFuture();
                    Asyncio.getRunningLoop().callSoon(waiting::countDown);
                    try {
                        awaitForever(never);
                    } finally {
                        finallyRan.set(true);
                    }
                    return null;
                });
            } catch (Throwable e) {
                thrown.set(e);
            }
            flagAfterRun.set(Thread.currentThread().isInterrupted());
        });
        awaitLatch(waiting);
        awaitParked(host);
        host.interrupt();
        join(host);
        CancelledError e = assertInstanceOf(CancelledError.class, thrown.get());
        assertTrue(e.getMessage().startsWith("Asyncio.run() was interrupted: its main task"), e.getMessage());
        assertTrue(e.getMessage().contains("InterruptTest.awaitForever"), () -> "the dump shows where it waited: " + e.getMessage());
        assertTrue(e.getMessage().contains("awaits: <Future pending"), e.getMessage());
        assertInstanceOf(CancelledError.class, e.getCause(), "the main task's own CancelledError is the cause");
        assertTrue(finallyRan.get(), "the main task unwound");
        assertTrue(flagAfterRun.get(), "the interrupt flag is set again when run() returns");
    }

    private static void awaitForever(Future<Void> never) {
        never.await();
    }

    /** A loop with one task, named "waiter", that waits for {@code gate}. */
    private record Waiting(EventLoop loop, Future<String> gate, Task<String> task, CountDownLatch started) {
        static Waiting create() {
            EventLoop loop = new EventLoop();
            CountDownLatch started = new CountDownLatch(1);
            Future<String> gate = loop.createFuture();
            Task<String> task = loop.createTask(() -> {
                started.countDown();
                return gate.await();
            }, "waiter");
            return new Waiting(loop, gate, task, started);
        }

        /**
         * Runs {@code run} on a new host thread, interrupts it once the task waits, and waits for it to end.
         *
         * @return what {@code run} threw, or {@code null}; the host's flag afterwards is in {@code flag[0]}
         */
        Throwable interruptWhileRunning(Runnable run, boolean[] flag) throws InterruptedException {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread host = Thread.ofPlatform().start(() -> {
                try {
                    run.run();
                } catch (Throwable e) {
                    thrown.set(e);
                }
                flag[0] = Thread.interrupted();
            });
            awaitLatch(started);
            awaitParked(host);
            host.interrupt();
            join(host);
            return thrown.get();
        }
    }

    @Test
    void interruptingRunForeverStopsTheLoopWhichCanRunAgain() throws Exception {
        Waiting w = Waiting.create();
        boolean[] flag = new boolean[1];
        assertNull(w.interruptWhileRunning(w.loop()::runForever, flag));
        assertTrue(flag[0], "the interrupt flag is set again when runForever() returns");
        assertFalse(w.task().isDone(), "an interrupt stops the loop; it cancels nothing");
        w.loop().callSoon(() -> w.gate().setResult("resumed"));
        assertEquals("resumed", w.loop().runUntilComplete(w.task()));
        w.loop().close();
    }

    @Test
    void interruptingRunUntilCompleteStopsWithACancelledErrorThatListsTheTasks() throws Exception {
        Waiting w = Waiting.create();
        boolean[] flag = new boolean[1];
        Throwable thrown = w.interruptWhileRunning(() -> w.loop().runUntilComplete(w.task()), flag);
        CancelledError e = assertInstanceOf(CancelledError.class, thrown);
        assertTrue(e.getMessage().contains("* Task 'waiter' (suspended)"), e.getMessage());
        assertTrue(flag[0], "the interrupt flag is set again when runUntilComplete() throws");
        assertFalse(w.task().isDone());
        w.task().cancel();
        w.loop().close();
    }

    @Test
    void aSecondInterruptStopsTheLoopWhileTheMainTaskIgnoresTheFirst() throws Exception {
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch second = new CountDownLatch(1);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread host = Thread.ofPlatform().start(() -> {
            try {
                Asyncio.run(() -> {
                    Future<Void> never = Asyncio.getRunningLoop().createFuture();
                    Asyncio.getRunningLoop().callSoon(first::countDown);
                    try {
                        never.await();
                    } catch (CancelledError cancelled) {
                        Future<Void> again = Asyncio.getRunningLoop().createFuture();
                        Asyncio.getRunningLoop().callSoon(second::countDown);
                        again.await(); // a stubborn main task: only the second interrupt ends the run
                    }
                    return null;
                });
            } catch (Throwable e) {
                thrown.set(e);
            }
            Thread.interrupted();
        });
        awaitLatch(first);
        awaitParked(host);
        host.interrupt();
        awaitLatch(second);
        awaitParked(host);
        host.interrupt();
        join(host);
        // The second interrupt stopped the loop; Runner.close() then cancelled and unwound the main task.
        CancelledError e = assertInstanceOf(CancelledError.class, thrown.get());
        assertTrue(e.getMessage().contains("the thread running the event loop was interrupted"), e.getMessage());
    }

    /**
     * In loop-carrier mode the host carries the task threads, and the JDK clears a carrier's interrupt flag
     * when it mounts a virtual thread that is not itself interrupted. Here the host is interrupted while
     * the main task runs on it, and the next thing it does is mount another task: the interrupt must still
     * end the run (it was lost, and the run waited forever, before the loop watched for it another way).
     */
    @Test
    void anInterruptOfTheHostThatArrivesWhileATaskRunsOnItIsNotLostWhenTheHostMountsAnotherTask() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        CountDownLatch otherStarted = new CountDownLatch(1);
        AtomicReference<Thread> host = new AtomicReference<>();
        Thread runner = Thread.ofPlatform().name("host-interrupted-by-its-task").unstarted(() -> {
            try {
                Asyncio.run(() -> {
                    Future<Void> never = Asyncio.getRunningLoop().createFuture();
                    Task<Void> other = Asyncio.createTask(() -> {
                        otherStarted.countDown();
                        Asyncio.getRunningLoop().<Void>createFuture().await();
                    });
                    // On the host in loop-carrier mode: its flag is set while this task is mounted on it,
                    // and the await below hands the turn to `other`, whose first mount clears the flag.
                    host.get().interrupt();
                    try {
                        never.await();
                    } finally {
                        other.cancel();
                    }
                    return null;
                });
            } catch (Throwable e) {
                thrown.set(e);
            }
            Thread.interrupted();
        });
        host.set(runner);
        runner.start();
        awaitLatch(otherStarted);
        join(runner);
        CancelledError e = assertInstanceOf(CancelledError.class, thrown.get());
        assertTrue(e.getMessage().startsWith("Asyncio.run() was interrupted: its main task"), e.getMessage());
    }

    /**
     * A task that waits while its virtual thread cannot unmount (here: inside a class initializer, which
     * pins its carrier on every JDK; on JDK 21 a select does too) keeps its carrier, in loop-carrier mode
     * the host, blocked: the host cannot look at an interrupt until the task yields. The interrupt must
     * still end the run, so it is reported where it lands, which wakes the waiting loop.
     */
    @Test
    void anInterruptOfTheHostEndsTheRunWhileTheTaskItCarriesWaitsPinned() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread host = Thread.ofPlatform().name("host-carrying-a-pinned-task").start(() -> {
            try {
                Asyncio.run(() -> PinnedSleep.touch());
            } catch (Throwable e) {
                thrown.set(e);
            }
            Thread.interrupted();
        });
        awaitLatch(PINNED_SLEEPING);
        awaitParked(host);
        host.interrupt();
        join(host);
        // The main task was cancelled inside the initializer, which the JVM reports as its failure.
        ExceptionInInitializerError e = assertInstanceOf(ExceptionInInitializerError.class, thrown.get());
        assertInstanceOf(CancelledError.class, e.getCause());
    }

    /** Counted down once {@link PinnedSleep}'s initializer sleeps (kept outside it: reading it would initialize it). */
    private static final CountDownLatch PINNED_SLEEPING = new CountDownLatch(1);

    /** Sleeps an hour in its class initializer, where a virtual thread is pinned to its carrier. */
    private static final class PinnedSleep {
        static {
            Asyncio.getRunningLoop().callSoon(PINNED_SLEEPING::countDown);
            Asyncio.sleep(Duration.ofHours(1));
        }

        static Object touch() {
            return PINNED_SLEEPING;
        }
    }

    @Test
    void interruptingASuspendedTaskThreadKeepsTheFlagForTheTaskWithoutSpinning() throws Exception {
        EventLoop loop = new EventLoop();
        CompletableFuture<Thread> taskThread = new CompletableFuture<>();
        CompletableFuture<String> release = new CompletableFuture<>();
        List<Boolean> flagsSeen = new CopyOnWriteArrayList<>();
        Thread host = Thread.ofPlatform().start(() -> loop.runUntilComplete(() -> {
            Task<Void> other = Asyncio.createTask(() -> {
                // Keeps the loop switching between tasks while the interrupted one waits.
                for (int i = 0; i < 100; i++) {
                    Asyncio.sleep(Duration.ZERO);
                }
            });
            taskThread.complete(Thread.currentThread());
            String value = Asyncio.await(release);
            flagsSeen.add(Thread.interrupted());
            other.await();
            Asyncio.sleep(Duration.ZERO);
            flagsSeen.add(Thread.currentThread().isInterrupted());
            return value;
        }));
        Thread t = taskThread.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        awaitParked(t);
        t.interrupt();
        awaitParked(t);
        release.complete("released");
        join(host);
        assertEquals(List.of(true, false), flagsSeen,
                "the task resumes with its flag set; once it cleared it, later switches leave it clear");
        loop.close();
    }

    @Test
    void interruptingATaskThreadWhileItWaitsForIoAsTheTurnHolderKeepsTheFlag() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            EventLoop loop = new EventLoop();
            CompletableFuture<Thread> taskThread = new CompletableFuture<>();
            AtomicBoolean flagSeen = new AtomicBoolean();
            Thread host = Thread.ofPlatform().start(() -> loop.runUntilComplete(() -> {
                SocketChannel client = SocketChannel.open(server.getLocalAddress());
                client.configureBlocking(false);
                taskThread.complete(Thread.currentThread());
                // The only task: its own thread waits in the selector while the loop is idle.
                byte[] got = EventLoopIo.of(Asyncio.getRunningLoop()).sockRecv(client, 16);
                flagSeen.set(Thread.interrupted());
                client.close();
                return new String(got);
            }));
            Thread t = taskThread.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            try (SocketChannel accepted = server.accept()) {
                awaitParked(t);
                t.interrupt();
                awaitParked(t);
                accepted.write(ByteBuffer.wrap("ping".getBytes()));
                join(host);
            }
            assertTrue(flagSeen.get(), "the task resumes with its flag set");
            loop.close();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anInterruptOfTheDebugWatchdogDoesNotMakeItSpin() throws Exception {
        Asyncio.run(() -> {
            Asyncio.sleep(Duration.ZERO);
            return null;
        }, true); // debug mode starts the shared watchdog
        Thread watchdog = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("asyncio-watchdog"))
                .findFirst().orElseThrow(() -> new AssertionError("no watchdog thread after a debug run"));
        awaitParked(watchdog);
        watchdog.interrupt();
        awaitParked(watchdog);
        assertTrue(watchdog.isAlive());
    }
}
