package dev.asyncio;

import static dev.asyncio.Asyncio.createTask;
import static dev.asyncio.Asyncio.gather;
import static dev.asyncio.Asyncio.getRunningLoop;
import static dev.asyncio.Asyncio.sleep;
import static dev.asyncio.Asyncio.toThread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Context variables with asyncio: ports of CPython's test_asyncio/test_context.py, the context cases
 * of test_asyncio/test_tasks.py (test_context_1 … 6) and the token rules of test_contextvars.py.
 */
class ContextVarTest {
    // ---------------------------------------------------------------- test_context.py

    /** DecimalContextTest.test_asyncio_task_decimal_context: a per-task precision survives suspension. */
    @Test
    void perTaskDecimalPrecisionSurvivesSuspension() {
        ContextVar<MathContext> precision = new ContextVar<>("decimal-context", MathContext.DECIMAL128);
        List<List<BigDecimal>> r = Asyncio.run(() -> {
            Coroutine<List<BigDecimal>> a = () -> fractions(precision, 0.02, 3, 1, 3);
            Coroutine<List<BigDecimal>> b = () -> fractions(precision, 0.04, 6, 1, 3);
            return gather(a, b).await();
        });
        assertEquals("0.333", r.get(0).get(0).toPlainString());
        assertEquals("0.111", r.get(0).get(1).toPlainString());
        assertEquals("0.333333", r.get(1).get(0).toPlainString());
        assertEquals("0.111111", r.get(1).get(1).toPlainString());
    }

    private static List<BigDecimal> fractions(ContextVar<MathContext> ctx, double t, int precision, int x, int y) {
        ctx.set(new MathContext(precision));
        BigDecimal a = BigDecimal.valueOf(x).divide(BigDecimal.valueOf(y), ctx.get());
        sleep(t);
        BigDecimal b = BigDecimal.valueOf(x).divide(BigDecimal.valueOf((long) y * y), ctx.get());
        return List.of(a, b);
    }

    // ---------------------------------------------------------------- test_tasks.py

    /** test_context_1: a task sees its creator's values at creation time, and its changes stay its own. */
    @Test
    void aTaskGetsACopyOfItsCreatorsContext() {
        ContextVar<String> cvar = new ContextVar<>("cvar", "nope");
        List<String> seen = new ArrayList<>();
        Asyncio.run(() -> {
            assertEquals("nope", cvar.get());
            Task<Void> sub = createTask(() -> {
                sleep(0.01);
                seen.add(cvar.get());
                cvar.set("something else");
            });
            cvar.set("yes");
            assertEquals("yes", cvar.get());
            sub.await();
            assertEquals("yes", cvar.get());
        });
        assertEquals(List.of("nope"), seen);
    }

    /**
     * A task created where no variable is set gets its context object on first use (16 B a task spared);
     * what it can observe is the same: one object for the task's whole life, whoever asks first, holding
     * exactly what the task set, and copied into the tasks it creates.
     */
    @Test
    void aTaskWhoseContextIsMadeOnFirstUseKeepsOneContextWhoeverAsksFirst() {
        ContextVar<String> cvar = new ContextVar<>("cvar", "default");
        Asyncio.run(() -> {
            // Asked from outside before the task ever ran: the task then runs in that very object.
            Task<String> early = createTask(() -> {
                cvar.set("early's");
                return cvar.get();
            });
            Context seenBefore = early.getContext();
            assertEquals("early's", early.await());
            assertSame(seenBefore, early.getContext());
            assertEquals("early's", seenBefore.run(() -> cvar.get()));

            // Made by the task itself: the object outside is the one it set its value in.
            Task<Void> late = createTask(() -> {
                cvar.set("late's");
            });
            late.await();
            assertEquals("late's", late.getContext().run(() -> cvar.get()));
            assertSame(late.getContext(), late.getContext());

            // A task that never touches its context, asked from another thread at once: one object still.
            Task<Void> idle = createTask(() -> sleep(0));
            Context[] fromThreads = new Context[2];
            Thread a = Thread.ofPlatform().start(() -> fromThreads[0] = idle.getContext());
            Thread b = Thread.ofPlatform().start(() -> fromThreads[1] = idle.getContext());
            a.join();
            b.join();
            idle.await();
            assertSame(fromThreads[0], fromThreads[1]);
            assertSame(fromThreads[0], idle.getContext());
            assertEquals("default", idle.getContext().run(() -> cvar.get()), "a fresh task's context is empty");

            // Its children copy what it set, and only what it had set when each was created.
            Task<List<String>> parent = createTask(() -> {
                Task<String> before = createTask(() -> cvar.get());
                cvar.set("parent's");
                Task<String> after = createTask(() -> cvar.get());
                String inRun = new Context().run(() -> cvar.get());
                return List.of(before.await(), after.await(), inRun, cvar.get());
            });
            assertEquals(List.of("default", "parent's", "default", "parent's"), parent.await(),
                    "before the set, after it, inside another context's run, back in its own");
            assertEquals("default", cvar.get(), "the main task's own context is untouched");
        });
    }

    /** test_context_2: done callbacks run in a copy of the task's context; their changes do not leak. */
    @Test
    void doneCallbacksRunInACopyOfTheTasksContext() {
        ContextVar<String> cvar = new ContextVar<>("cvar", "nope");
        List<String> inCallbacks = new ArrayList<>();
        Asyncio.run(() -> {
            EventLoop loop = getRunningLoop();
            assertEquals("nope", cvar.get());
            for (int j = 0; j < 2; j++) {
                Future<Void> fut = loop.createFuture();
                fut.addDoneCallback(f -> {
                    inCallbacks.add(cvar.get());
                    cvar.set("something else"); // must not pollute main()'s context
                });
                cvar.set("yes" + j);
                loop.callSoon(() -> fut.setResult(null));
                fut.await();
                assertEquals("yes" + j, cvar.get());
                for (int i = 0; i < 3; i++) {
                    cvar.set("yes" + i + "-" + j);
                    sleep(0.001);
                    assertEquals("yes" + i + "-" + j, cvar.get());
                }
            }
        });
        // The callback was added before cvar.set(yes_j): it sees the value current when it was added.
        assertEquals(List.of("nope", "yes2-0"), inCallbacks);
    }

    /** test_context_3: many interleaved tasks each keep their own value; the outer context is untouched. */
    @Test
    void manyInterleavedTasksKeepTheirOwnValues() {
        ContextVar<Integer> cvar = new ContextVar<>("cvar", -1);
        Random random = new Random(42);
        List<Integer> mismatches = new ArrayList<>();
        Asyncio.run(() -> {
            List<Future<?>> tasks = new ArrayList<>();
            for (int n = 0; n < 200; n++) {
                int num = random.nextInt(11);
                long[] delays = random.longs(5, 0, 4).toArray();
                tasks.add(createTask(() -> {
                    for (int i = 0; i < 5; i++) {
                        cvar.set(num + i);
                        sleep(delays[i] / 1000.0);
                        if (cvar.get() != num + i) {
                            mismatches.add(num + i);
                        }
                    }
                }));
            }
            Asyncio.gather(tasks).await();
            assertEquals(-1, cvar.get());
        });
        assertTrue(mismatches.isEmpty(), mismatches::toString);
        assertEquals(-1, cvar.get());
    }

    /** test_context_4 and 5: a task created with an explicit context runs in it and changes it. */
    @Test
    void aTaskCreatedWithAContextRunsInThatContext() {
        ContextVar<Integer> cvar = new ContextVar<>("cvar");
        List<Integer> ret = Asyncio.run(() -> {
            EventLoop loop = getRunningLoop();
            List<Integer> r = new ArrayList<>();
            Context ctx = Context.copyCurrent();
            r.add(ctx.get(cvar));
            loop.createTask(() -> {
                sleep(0);
                cvar.set(1);
                return null;
            }, null, ctx).await();
            r.add(ctx.get(cvar));
            loop.createTask(() -> {
                sleep(0);
                cvar.set(2);
                return null;
            }, null, ctx).await();
            r.add(ctx.get(cvar));
            return r;
        });
        assertEquals(Arrays.asList(null, 1, 2), ret);
    }

    /** test_context_6: a task created inside ctx.run() gets a copy of ctx, so ctx itself is unchanged. */
    @Test
    void aTaskCreatedInsideContextRunGetsACopy() {
        ContextVar<Integer> cvar = new ContextVar<>("cvar");
        List<Integer> ret = Asyncio.run(() -> {
            List<Integer> r = new ArrayList<>();
            Context ctx = Context.copyCurrent();
            r.add(ctx.get(cvar));
            for (int v = 1; v <= 2; v++) {
                int value = v;
                Task<Object> t = ctx.run(() -> createTask(() -> {
                    sleep(0);
                    cvar.set(value);
                    return null;
                }));
                t.await();
                r.add(ctx.get(cvar));
            }
            return r;
        });
        assertEquals(Arrays.asList(null, null, null), ret);
    }

    /** call_soon(cb, context=ctx): the callback runs in ctx, and what it sets stays in ctx. */
    @Test
    void aCallbackScheduledWithAContextRunsInItAndChangesIt() {
        ContextVar<String> cvar = new ContextVar<>("cvar", "default");
        List<String> r = Asyncio.run(() -> {
            EventLoop loop = getRunningLoop();
            Context ctx = new Context();
            List<String> seen = new ArrayList<>();
            cvar.set("task value");
            loop.callSoon(() -> {
                seen.add(cvar.get());
                cvar.set("set by callback");
            }, ctx);
            sleep(0);
            seen.add(ctx.get(cvar));
            seen.add(cvar.get());
            // Without an explicit context: a copy of the scheduler's, so the change is discarded.
            loop.callSoon(() -> {
                seen.add(cvar.get());
                cvar.set("discarded");
            });
            sleep(0);
            seen.add(cvar.get());
            return seen;
        });
        assertEquals(List.of("default", "set by callback", "task value", "task value", "task value"), r);
    }

    /** Timers take the context current when they were scheduled. */
    @Test
    void callLaterRunsInTheSchedulersContext() {
        ContextVar<String> cvar = new ContextVar<>("cvar", "default");
        String r = Asyncio.run(() -> {
            EventLoop loop = getRunningLoop();
            Future<String> seen = loop.createFuture();
            cvar.set("at scheduling");
            loop.callLater(0.001, () -> seen.setResult(cvar.get()));
            cvar.set("later");
            return seen.await();
        });
        assertEquals("at scheduling", r);
    }

    /** to_thread copies the context (test_threads.py test_to_thread_contextvars). */
    @Test
    void toThreadSeesTheCallersValues() {
        ContextVar<String> cvar = new ContextVar<>("cvar", "default");
        String r = Asyncio.run(() -> {
            cvar.set("parrot");
            return toThread(cvar::get);
        });
        assertEquals("parrot", r);
    }

    /** A context given to Runner.run-created tasks: each Runner.run shares the runner's context. */
    @Test
    void runnerRunsShareOneContext() {
        ContextVar<String> cvar = new ContextVar<>("cvar", "none");
        try (Runner runner = new Runner()) {
            runner.run(() -> {
                cvar.set("from the first run");
            });
            assertEquals("from the first run", runner.run(() -> cvar.get()));
        }
    }

    // ---------------------------------------------------------------- test_contextvars.py token rules

    @Test
    void getWithoutValueOrDefault() {
        ContextVar<String> c = new ContextVar<>("c");
        NoSuchElementException e = assertThrows(NoSuchElementException.class, c::get);
        assertTrue(e.getMessage().contains("'c'"), e.getMessage());
        assertEquals("fallback", c.get("fallback"));
        ContextVar<String> d = new ContextVar<>("d", "dflt");
        assertEquals("dflt", d.get());
        assertEquals("fallback", d.get("fallback"), "get(default) ignores the variable's own default");
    }

    @Test
    void tokenRecordsTheOldValueAndResetRestoresIt() throws Exception {
        ContextVar<String> c = new ContextVar<>("c");
        new Context().run(() -> {
            ContextVar.Token<String> t1 = c.set("a");
            assertSame(c, t1.var());
            assertFalse(t1.hadValue());
            assertNull(t1.oldValue());
            ContextVar.Token<String> t2 = c.set("b");
            assertTrue(t2.hadValue());
            assertEquals("a", t2.oldValue());
            c.reset(t2);
            assertEquals("a", c.get());
            c.reset(t1);
            assertThrows(NoSuchElementException.class, c::get, "reset to 'no value' removes it");
            return null;
        });
    }

    @Test
    void aTokenCanBeUsedOnlyOnce() throws Exception {
        ContextVar<String> c = new ContextVar<>("c");
        new Context().run(() -> {
            ContextVar.Token<String> t = c.set("a");
            c.reset(t);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.reset(t));
            assertTrue(e.getMessage().contains("already been used"), e.getMessage());
            return null;
        });
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void aTokenOfAnotherVariableIsRefused() throws Exception {
        ContextVar<String> c = new ContextVar<>("c");
        ContextVar<String> d = new ContextVar<>("d");
        new Context().run(() -> {
            ContextVar.Token t = d.set("x");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.reset(t));
            assertTrue(e.getMessage().contains("'d'"), e.getMessage());
            return null;
        });
    }

    @Test
    void aTokenFromAnotherContextIsRefused() throws Exception {
        ContextVar<String> c = new ContextVar<>("c");
        ContextVar.Token<String> t = new Context().run(() -> c.set("in ctx1"));
        new Context().run(() -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.reset(t));
            assertTrue(e.getMessage().contains("different context"), e.getMessage());
            return null;
        });
    }

    /** A token made in one task cannot reset the variable in another task (each has its own context). */
    @Test
    void aTokenFromAnotherTaskIsRefused() {
        ContextVar<String> c = new ContextVar<>("c", "none");
        String msg = Asyncio.run(() -> {
            ContextVar.Token<String> token = createTask(() -> c.set("in child")).await();
            return assertThrows(IllegalArgumentException.class, () -> c.reset(token)).getMessage();
        });
        assertTrue(msg.contains("different context"), msg);
    }

    @Test
    void contextRunChangesStayInThatContextAndCopiesAreIndependent() throws Exception {
        ContextVar<Integer> c = new ContextVar<>("c", 0);
        Context ctx = new Context();
        ctx.run(() -> c.set(1));
        assertEquals(1, ctx.get(c));
        assertEquals(0, c.get(), "the calling thread's own context is untouched");
        Context copy = ctx.run(Context::copyCurrent);
        copy.run(() -> c.set(2));
        assertEquals(1, ctx.get(c));
        assertEquals(2, copy.get(c));
        assertTrue(copy.contains(c));
        assertEquals(1, copy.size());
    }
}
