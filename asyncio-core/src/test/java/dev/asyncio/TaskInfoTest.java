package dev.asyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** {@link TaskInfo#snapshotAll()} read from outside a running loop, and the MBean that serves it. */
class TaskInfoTest {
    private static String leaf(Future<String> release) {
        return release.await();
    }

    @SuppressWarnings("unchecked")
    private static void gatherer(Future<String> release) {
        Asyncio.gather(Asyncio.createTask(() -> leaf(release), "leaf-1"), Asyncio.createTask(() -> leaf(release), "leaf-2"))
                .await();
    }

    /** Runs a tree of tasks on a loop of its own thread, hands the snapshot taken from this thread to {@code check}. */
    private static void withTree(java.util.function.Consumer<List<TaskInfo>> check) throws Exception {
        AtomicReference<EventLoop> loop = new AtomicReference<>();
        AtomicReference<Future<String>> release = new AtomicReference<>();
        CountDownLatch built = new CountDownLatch(1);
        Thread host = Thread.ofPlatform().start(() -> Asyncio.run(() -> {
            loop.set(Asyncio.getRunningLoop());
            Future<String> r = Asyncio.getRunningLoop().createFuture();
            release.set(r);
            TaskGroup.run(tg -> {
                tg.createTask(() -> gatherer(r), "gatherer");
                for (int i = 0; i < 3; i++) {
                    Asyncio.sleep(0);
                }
                built.countDown();
            });
        }));
        try {
            assertTrue(built.await(10, TimeUnit.SECONDS));
            check.accept(TaskInfo.snapshotAll());
        } finally {
            loop.get().callSoonThreadsafe(() -> release.get().setResult("done"));
            host.join(10_000);
        }
    }

    @Test
    void listsEveryTaskOfTheRunningLoopsWithStateFramesAndAwaitersAcrossTaskGroupAndGather() throws Exception {
        withTree(tasks -> {
            Map<String, TaskInfo> byName = tasks.stream().collect(Collectors.toMap(TaskInfo::name, Function.identity(), (a, b) -> a));
            TaskInfo gatherer = byName.get("gatherer");
            TaskInfo leaf1 = byName.get("leaf-1");
            TaskInfo main = tasks.stream().filter(t -> t.name().startsWith("Task-")).findFirst().orElseThrow();
            assertEquals(List.of(main.id()), gatherer.awaitedBy(), tasks::toString);
            assertEquals(List.of(gatherer.id()), leaf1.awaitedBy(), tasks::toString);
            assertEquals(List.of(gatherer.id()), byName.get("leaf-2").awaitedBy(), tasks::toString);
            assertEquals(List.of(), main.awaitedBy());
            assertEquals("suspended", leaf1.state());
            assertTrue(leaf1.awaits().startsWith("<Future pending"), leaf1.awaits());
            assertEquals("leaf", leaf1.frames().get(0).getMethodName());
            assertTrue(gatherer.frames().stream().anyMatch(f -> f.getMethodName().equals("gatherer")), gatherer::toString);
            assertEquals(main.loop(), leaf1.loop());
        });
    }

    @Test
    void theTasksMBeanServesTheTableAndTheTreeOfTheSameSnapshot() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(TasksMXBean.OBJECT_NAME);
        withTree(tasks -> {
            try {
                for (int i = 0; i < 100 && !server.isRegistered(name); i++) {
                    Thread.sleep(50); // registered on a thread of its own when the first loop started
                }
                assertEquals(tasks.size(), server.getAttribute(name, "TaskCount"));
                String table = (String) server.getAttribute(name, "Table");
                assertTrue(table.startsWith("loop"), table);
                assertTrue(table.lines().anyMatch(l -> l.contains(" leaf-1 ") && l.contains(" gatherer ")), table);
                String tree = (String) server.getAttribute(name, "Tree");
                assertTrue(tree.contains("(T) gatherer"), tree);
                assertTrue(tree.indexOf("(T) gatherer") < tree.indexOf("(T) leaf-1"), tree);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }
}
