package dev.asyncio.reactor;

import static dev.asyncio.reactor.ReactorCoroutines.await;
import static dev.asyncio.reactor.ReactorCoroutines.mono;

import dev.asyncio.Asyncio;
import dev.asyncio.EventLoop;
import dev.asyncio.Future;
import dev.asyncio.TaskGroup;
import java.util.concurrent.CountDownLatch;
import reactor.util.context.Context;

/**
 * The process {@link ReactorPsTest} inspects: a TaskGroup of a task that gathers two leaves and a task that
 * awaits a {@code mono} coroutine running on a second loop. Prints {@code READY} once every task is suspended,
 * then waits until it is killed.
 */
final class PsTarget {
    private static final CountDownLatch REMOTE_STARTED = new CountDownLatch(1);

    private PsTarget() {
    }

    public static void main(String[] args) throws Exception {
        EventLoop other = new EventLoop();
        Thread.ofPlatform().daemon().name("second-loop").start(() -> {
            other.callSoon(() -> { });
            other.runForever();
        });
        Asyncio.run(() -> {
            Future<String> never = Asyncio.getRunningLoop().createFuture();
            TaskGroup.run(tg -> {
                tg.createTask(() -> gatherer(never), "gatherer");
                tg.createTask(() -> monoAwaiter(other), "mono-awaiter");
                Asyncio.toThread(() -> {
                    REMOTE_STARTED.await();
                    return null;
                });
                Asyncio.sleep(0);
                System.out.println("READY");
                System.out.flush();
            });
        });
    }

    @SuppressWarnings("unchecked")
    private static void gatherer(Future<String> never) {
        Asyncio.gather(Asyncio.createTask(() -> leaf(never), "leaf-1"), Asyncio.createTask(() -> leaf(never), "leaf-2"))
                .await();
    }

    private static String leaf(Future<String> never) {
        return never.await();
    }

    private static String monoAwaiter(EventLoop other) {
        return await(mono(other, PsTarget::remoteLeaf).contextWrite(Context.of(ReactorContext.TASK_NAME_KEY, "remote-leaf")));
    }

    private static String remoteLeaf() {
        REMOTE_STARTED.countDown();
        Asyncio.sleep(3600);
        return "late";
    }
}
