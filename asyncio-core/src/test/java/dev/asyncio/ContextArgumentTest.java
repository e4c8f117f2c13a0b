package dev.asyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * asyncio's {@code context=} and {@code eager_start=} arguments on {@link TaskGroup#createTask(Coroutine,
 * String, Context, Boolean)}, {@link Runner#run(Coroutine, Context)} and
 * {@link EventLoop#callSoonThreadsafe(Runnable, Context)}: the work runs in the given context, and what
 * it sets stays there.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ContextArgumentTest {
    private static final ContextVar<String> VAR = new ContextVar<>("var", "default");

    @Test
    void taskGroupCreateTaskRunsInTheGivenContext() {
        VirtualLoops.run(() -> {
            Context ctx = new Context();
            ctx.run(() -> {
                VAR.set("in ctx");
            });
            List<String> seen = new ArrayList<>();
            TaskGroup.run(tg -> {
                tg.createTask(() -> {
                    seen.add(VAR.get());
                    VAR.set("set by the child");
                    return null;
                }, "child", ctx, null);
                tg.createTask(() -> seen.add(VAR.get()), "default", null, null);
            });
            assertEquals(List.of("in ctx", "default"), seen);
            assertEquals("set by the child", ctx.get(VAR), "the child ran in ctx itself, not a copy");
            assertEquals("default", VAR.get());
        });
    }

    @Test
    void taskGroupCreateTaskEagerStartOverridesTheLoop() {
        for (boolean loopEager : new boolean[] {false, true}) {
            VirtualLoops.run(loopEager, () -> {
                List<String> order = new ArrayList<>();
                TaskGroup.run(tg -> {
                    Task<Void> eager = tg.createTask(() -> {
                        order.add("eager child");
                        return null;
                    }, null, null, true);
                    Task<Void> lazy = tg.createTask(() -> {
                        order.add("lazy child");
                        return null;
                    }, null, null, false);
                    order.add("body");
                    assertTrue(eager.isDone(), "an eager child that does not suspend is done at once");
                    assertFalse(lazy.isDone());
                });
                assertEquals(List.of("eager child", "body", "lazy child"), order);
                return null;
            });
        }
    }

    @Test
    void runnerRunUsesTheGivenContextOrItsOwn() {
        Context ctx = new Context();
        try (Runner runner = new Runner(() -> new EventLoop(new VirtualClock()), false)) {
            runner.run(() -> {
                VAR.set("runner's");
            });
            assertEquals("default", runner.run(() -> VAR.get(), ctx), "a given context, not the runner's");
            runner.run(() -> {
                VAR.set("in ctx");
            }, ctx);
            assertEquals("in ctx", ctx.get(VAR), "the task ran in ctx itself");
            assertEquals("runner's", runner.run(() -> VAR.get()), "the runner's own context is untouched");
        }
    }

    @Test
    void callSoonThreadsafeRunsInTheGivenContext() throws Exception {
        Context ctx = new Context();
        ctx.run(() -> {
            VAR.set("in ctx");
        });
        List<String> seen = new ArrayList<>();
        VirtualLoops.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<Void> done = loop.createFuture();
            CompletableFuture.runAsync(() -> {
                loop.callSoonThreadsafe(() -> {
                    seen.add(VAR.get());
                    VAR.set("set by the callback");
                }, ctx);
                loop.callSoonThreadsafe(() -> {
                    seen.add(VAR.get());
                    done.setResult(null);
                }, null);
            });
            done.await();
        });
        assertEquals(List.of("in ctx", "default"), seen);
        assertEquals("set by the callback", ctx.get(VAR));
    }
}
