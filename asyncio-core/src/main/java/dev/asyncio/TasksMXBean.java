package dev.asyncio;

/**
 * The management interface of the {@value #OBJECT_NAME} MBean that asyncio-core registers in the platform
 * MBean server when the first event loop of the JVM starts running: what {@link dev.asyncio.tools.Ps} reads from another JVM,
 * and what JConsole or any JMX client can read. Registration happens once, on a daemon thread of its own (the
 * loop does not wait for JMX to start); it is skipped, with no error, when the {@code java.management} module
 * is not in the runtime, and when the system property {@code dev.asyncio.jmx} is {@code false}.
 *
 * <p>Each attribute is read on the JMX thread that asks, from a fresh {@link dev.asyncio.TaskInfo#snapshotAll()}.
 */
public interface TasksMXBean {
    /** The MBean's object name. */
    String OBJECT_NAME = "dev.asyncio:type=Tasks";

    /**
     * @return {@link TaskListing#table} of every pending task of every running loop ({@code ps})
     */
    String getTable();

    /**
     * @return {@link TaskListing#tree} of every pending task of every running loop ({@code pstree})
     * @throws IllegalStateException if the awaited-by edges form a cycle, naming the cycles
     */
    String getTree();

    /**
     * @return how many tasks are pending in the running loops
     */
    int getTaskCount();
}
