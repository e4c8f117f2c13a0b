package dev.asyncio.internal;

import static dev.asyncio.Asyncio.createTask;
import static dev.asyncio.Asyncio.sleep;
import static dev.asyncio.Asyncio.toThread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.asyncio.Asyncio;
import dev.asyncio.EventLoop;
import dev.asyncio.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The core's side of thread-local propagation, with a plain {@link ThreadLocal} and a capture function
 * written here (asyncio-reactor tests the Micrometer one with SLF4J's MDC): carried from the creating
 * thread into a task and into {@code toThread} work, kept across suspensions, never leaked to a sibling
 * task or to the thread hosting the loop.
 */
class ThreadLocalPropagationTest {
    private static final ThreadLocal<String> TRACE = new ThreadLocal<>();

    private Supplier<ThreadLocalSnapshot> previous;

    /** Captures {@link #TRACE}; the restore sets it and its scope puts back what was there, like Micrometer's. */
    private static ThreadLocalSnapshot captureTrace() {
        String captured = TRACE.get();
        return () -> {
            String replaced = TRACE.get();
            TRACE.set(captured);
            return () -> TRACE.set(replaced);
        };
    }

    @BeforeEach
    void installCapture() {
        previous = ThreadLocalPropagation.install(ThreadLocalPropagationTest::captureTrace);
    }

    @AfterEach
    void restore() {
        ThreadLocalPropagation.install(previous);
        TRACE.remove();
    }

    @Test
    void aValueSetBeforeRunIsSeenInTheMainTaskAfterASuspension() {
        TRACE.set("request-1");
        String seen = Asyncio.run(() -> {
            sleep(Duration.ofMillis(1));
            sleep(Duration.ZERO);
            return TRACE.get();
        });
        assertEquals("request-1", seen);
    }

    @Test
    void aChildTaskGetsItsCreatorsValueAtCreation() {
        List<String> seen = new ArrayList<>();
        Asyncio.run(() -> {
            TRACE.set("parent");
            Task<Void> child = createTask(() -> {
                sleep(Duration.ofMillis(1));
                seen.add(TRACE.get());
            });
            TRACE.set("changed after the child was created");
            child.await();
        });
        assertEquals(List.of("parent"), seen);
    }

    @Test
    void aValueSetInATaskStaysInThatTask() {
        TRACE.set("host");
        List<String> seen = new ArrayList<>();
        String main = Asyncio.run(() -> {
            Task<Void> setter = createTask(() -> {
                TRACE.set("set by the setter");
                sleep(Duration.ofMillis(1));
                seen.add("setter " + TRACE.get());
            });
            Task<Void> sibling = createTask(() -> {
                sleep(Duration.ZERO); // runs after the setter's first step
                seen.add("sibling " + TRACE.get());
            });
            setter.await();
            sibling.await();
            return TRACE.get();
        });
        assertEquals(Set.of("sibling host", "setter set by the setter"), Set.copyOf(seen));
        assertEquals("host", main);
        assertEquals("host", TRACE.get(), "the thread that ran the loop keeps its own value");
    }

    @Test
    void toThreadWorkSeesTheCallersValueAndItsChangesStayThere() {
        String[] inWorker = new String[2];
        String after = Asyncio.run(() -> {
            TRACE.set("caller");
            inWorker[0] = toThread(() -> {
                String seen = TRACE.get();
                TRACE.set("changed in the worker");
                return seen;
            });
            // The next job may run on the same pooled thread: the scope must have put back its value.
            inWorker[1] = toThread(() -> String.valueOf(TRACE.get()));
            return TRACE.get();
        });
        assertEquals("caller", inWorker[0]);
        assertEquals("caller", inWorker[1]);
        assertEquals("caller", after);
    }

    @Test
    void aTaskSubmittedFromAnotherThreadGetsThatThreadsValue() throws Exception {
        try (EventLoop loop = new EventLoop()) {
            CompletableFuture<Task<String>> submitted = new CompletableFuture<>();
            Thread.ofPlatform().start(() -> {
                TRACE.set("submitter");
                submitted.complete(loop.submit(() -> {
                    sleep(Duration.ZERO);
                    return TRACE.get();
                }));
            }).join();
            TRACE.set("host");
            assertEquals("submitter", loop.runUntilComplete(submitted.get()));
        }
    }

    @Test
    void runCoroutineThreadsafeCarriesTheCallersValue() {
        String seen = Asyncio.run(() -> {
            TRACE.set("main");
            EventLoop loop = Asyncio.getRunningLoop();
            CompletableFuture<CompletableFuture<String>> submitted = new CompletableFuture<>();
            Thread.ofPlatform().start(() -> {
                TRACE.set("caller");
                submitted.complete(loop.runCoroutineThreadsafe(() -> {
                    sleep(Duration.ZERO);
                    return TRACE.get();
                }));
            });
            return Asyncio.await(Asyncio.await(submitted));
        });
        assertEquals("caller", seen);
    }

    @Test
    void aTaskCreatedInALoopCallbackCarriesNothing() {
        List<String> seen = new ArrayList<>();
        Asyncio.run(() -> {
            TRACE.set("main");
            EventLoop loop = Asyncio.getRunningLoop();
            dev.asyncio.Future<Void> done = loop.createFuture();
            // Once main suspends, its own thread may run this callback: the new task must not take main's value.
            loop.callSoon(() -> createTask(() -> {
                seen.add(String.valueOf(TRACE.get()));
            }).addDoneCallback(t -> done.setResult(null)));
            done.await();
            seen.add(TRACE.get());
        });
        assertEquals(List.of("null", "main"), seen);
    }

    @Test
    void withoutACaptureFunctionNothingIsCarried() {
        ThreadLocalPropagation.install(null);
        TRACE.set("host");
        assertNull(Asyncio.run(TRACE::get));
    }
}
