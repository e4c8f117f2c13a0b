package dev.asyncio;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.ObjectName;

/**
 * The {@code dev.asyncio:type=Tasks} MBean ({@link TasksMXBean}), registered when the first loop starts running
 * ({@link #registerOnce()}). The MBean server is touched only on a daemon thread of its own and only if the
 * {@code java.management} module is readable (the core {@code requires static} it), so a loop's start costs one
 * flag check and a runtime image without JMX loses nothing but this MBean.
 */
final class TasksMBean implements TasksMXBean {
    private static final System.Logger LOG = System.getLogger(TasksMBean.class.getName());
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private TasksMBean() {
    }

    /** At a loop's start: the first call starts the registration, the others return at once. Any thread. */
    static void registerOnce() {
        if (STARTED.get() || !STARTED.compareAndSet(false, true)) {
            return;
        }
        if ("false".equalsIgnoreCase(System.getProperty("dev.asyncio.jmx"))) {
            return;
        }
        Module self = TasksMBean.class.getModule();
        boolean jmx = ModuleLayer.boot().findModule("java.management").map(self::canRead).orElse(false);
        if (!jmx) {
            LOG.log(System.Logger.Level.DEBUG, "java.management is not readable: no " + OBJECT_NAME + " MBean");
            return;
        }
        Thread.ofPlatform().daemon().name("asyncio-jmx-registration").start(TasksMBean::register);
    }

    private static void register() {
        try {
            ManagementFactory.getPlatformMBeanServer().registerMBean(new TasksMBean(), new ObjectName(OBJECT_NAME));
        } catch (Exception | LinkageError e) {
            LOG.log(System.Logger.Level.WARNING, "cannot register the " + OBJECT_NAME + " MBean: dev.asyncio.tools.Ps "
                    + "will not find this JVM's tasks", e);
        }
    }

    @Override
    public String getTable() {
        return TaskListing.table(TaskInfo.snapshotAll());
    }

    @Override
    public String getTree() {
        return TaskListing.tree(TaskInfo.snapshotAll());
    }

    @Override
    public int getTaskCount() {
        return TaskInfo.snapshotAll().size();
    }
}
