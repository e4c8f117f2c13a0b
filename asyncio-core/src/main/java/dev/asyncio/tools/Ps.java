package dev.asyncio.tools;

import com.sun.tools.attach.AttachNotSupportedException;
import dev.asyncio.TaskListing;
import dev.asyncio.TasksMXBean;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * asyncio 3.14's {@code python -m asyncio ps PID} and {@code pstree PID} for a running JVM: lists every pending
 * task of every event loop of another Java process, or prints its await tree.
 *
 * <pre>
 * java -cp asyncio-core.jar dev.asyncio.tools.Ps ps &lt;pid&gt;
 * java -cp asyncio-core.jar dev.asyncio.tools.Ps pstree &lt;pid&gt;
 * </pre>
 *
 * <p>How: the JDK's attach API ({@code jdk.attach}) attaches to the process (local, same user, as
 * {@code jcmd}), starts its local JMX management agent ({@code VirtualMachine.startLocalManagementAgent()}, a
 * built-in of every JDK: no agent jar and no flag on the target), and reads the {@value TasksMXBean#OBJECT_NAME}
 * MBean that asyncio-core registered there when the target's first loop started ({@link TasksMXBean}). The
 * listings are made in the target by {@link TaskListing}. The target must not run with
 * {@code -XX:+DisableAttachMechanism} or {@code -Ddev.asyncio.jmx=false}. On the module path add
 * {@code --add-modules jdk.attach,java.management.rmi}; on the class path nothing is needed.
 *
 * <p>Exit status: 0 on success, 1 if the process cannot be read (no such process, attach refused, no loop ever
 * ran there, or a cycle in its await graph for {@code pstree}), 2 for a usage error.
 */
public final class Ps {
    /** How long to wait for the target's MBean: it is registered on a thread of its own just after a loop starts. */
    private static final Duration MBEAN_WAIT = Duration.ofSeconds(5);

    private Ps() {
    }

    /**
     * The command: {@code ps <pid>} or {@code pstree <pid>}; exits the JVM with {@link #run}'s status.
     *
     * @param args the command and the process id
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the command and prints to {@code out} (the listing) and {@code err} (errors), without exiting.
     * Blocks the calling thread while it attaches and reads (seconds at most).
     *
     * @param args {@code ps <pid>} or {@code pstree <pid>}
     * @param out where the listing goes
     * @param err where usage and errors go
     * @return the exit status: 0 success, 1 the process could not be read, 2 usage error
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 2 || !(args[0].equals("ps") || args[0].equals("pstree")) || !args[1].matches("\\d+")) {
            err.println("usage: java -cp asyncio-core.jar dev.asyncio.tools.Ps (ps | pstree) <pid>");
            err.println("  ps      list every pending task of every event loop of the Java process <pid>");
            err.println("  pstree  print the await tree of those tasks");
            return 2;
        }
        String attribute = args[0].equals("ps") ? "Table" : "Tree";
        try {
            out.print(read(args[1], attribute));
            out.flush();
            return 0;
        } catch (RuntimeMBeanException e) {
            err.println(e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
            return 1;
        } catch (AttachNotSupportedException | IOException | JMException e) {
            err.println("Error retrieving tasks of process " + args[1] + ": " + e);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("interrupted");
            return 1;
        }
    }

    private static String read(String pid, String attribute)
            throws AttachNotSupportedException, IOException, JMException, InterruptedException {
        String address;
        VirtualMachine vm = VirtualMachine.attach(pid);
        try {
            address = vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
        try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            ObjectName name = new ObjectName(TasksMXBean.OBJECT_NAME);
            long deadline = System.nanoTime() + MBEAN_WAIT.toNanos();
            while (!server.isRegistered(name)) {
                if (System.nanoTime() - deadline > 0) {
                    throw new InstanceNotFoundException(TasksMXBean.OBJECT_NAME + " is not registered: no asyncio event "
                            + "loop has run in process " + pid + " (or it runs with -Ddev.asyncio.jmx=false)");
                }
                Thread.sleep(50);
            }
            return (String) server.getAttribute(name, attribute);
        }
    }
}
