package dev.asyncio;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The process-wide side of {@link EventLoopIo#addSignalHandler}: one JVM handler per signal
 * ({@code sun.misc.Signal}, module {@code jdk.unsupported}), installed while at least one loop has a
 * handler for that signal, which hands the signal to every such loop with
 * {@link EventLoop#callSoonThreadsafe(Runnable, Context)}. The handler the JVM had before (its
 * shutdown handler for SIGINT/SIGTERM/SIGHUP, the default action for the others) is put back when the
 * last loop removes its handler or closes.
 *
 * <p>The JVM calls a signal handler on a new thread of its own; that thread only enqueues the callback,
 * as asyncio's C-level handler only writes to the loop's wake-up pipe.
 */
final class SignalHandlers {
    /** Installed JVM handlers by canonical name ("USR2"); guarded by the class. */
    private static final Map<String, Installed> INSTALLED = new HashMap<>();

    private SignalHandlers() {
    }

    /** One loop's handler for one signal: the callback and the context it runs in every time. */
    private record Registration(EventLoop loop, Runnable callback, Context context) {
        void deliver() {
            try {
                loop.callSoonThreadsafe(callback, context);
            } catch (IllegalStateException closed) {
                // The loop closed between the signal and now; closing removes its handlers.
            }
        }
    }

    /** The JVM's handler for one signal while any loop handles it. */
    private static final class Installed implements SignalHandler {
        private final Signal signal;
        private final Map<EventLoop, Registration> byLoop = new LinkedHashMap<>();
        private SignalHandler previous;

        Installed(Signal signal) {
            this.signal = signal;
        }

        @Override
        public void handle(Signal sig) {
            List<Registration> targets;
            synchronized (SignalHandlers.class) {
                targets = new ArrayList<>(byLoop.values());
            }
            targets.forEach(Registration::deliver);
        }
    }

    /**
     * Sets {@code loop}'s handler for {@code signal}, replacing its previous one.
     *
     * @throws IllegalArgumentException for a signal that is unknown, cannot be caught, or is reserved
     *     by the JVM
     */
    static void add(EventLoop loop, String signal, Runnable callback) {
        String name = canonicalName(signal);
        Registration r = new Registration(loop, callback, Context.copyCurrent());
        synchronized (SignalHandlers.class) {
            Installed installed = INSTALLED.get(name);
            if (installed == null) {
                installed = new Installed(newSignal(name));
                try {
                    installed.previous = Signal.handle(installed.signal, installed);
                } catch (IllegalArgumentException reserved) {
                    throw new IllegalArgumentException("SIG" + name + " cannot be handled: the JVM reserves it ("
                            + reserved.getMessage() + "); SIGQUIT, SIGSEGV, SIGFPE and SIGILL are the JVM's own, and "
                            + "-Xrs releases SIGQUIT", reserved);
                }
                INSTALLED.put(name, installed);
            }
            installed.byLoop.put(loop, r);
        }
    }

    /**
     * Removes {@code loop}'s handler for {@code signal}; puts the JVM's previous handler back if no
     * other loop handles it.
     *
     * @return whether {@code loop} had a handler for it
     * @throws IllegalArgumentException for an unknown signal or one that cannot be caught
     */
    static boolean remove(EventLoop loop, String signal) {
        String name = canonicalName(signal);
        newSignal(name); // an unknown name fails here, as asyncio's remove_signal_handler checks the signal
        synchronized (SignalHandlers.class) {
            return removeLocked(loop, name);
        }
    }

    /** On {@link EventLoop#close()}: removes every handler of {@code loop}, as asyncio's close does. */
    static void removeAll(EventLoop loop) {
        synchronized (SignalHandlers.class) {
            for (String name : new ArrayList<>(INSTALLED.keySet())) {
                removeLocked(loop, name);
            }
        }
    }

    private static boolean removeLocked(EventLoop loop, String name) {
        Installed installed = INSTALLED.get(name);
        if (installed == null || installed.byLoop.remove(loop) == null) {
            return false;
        }
        if (installed.byLoop.isEmpty()) {
            Signal.handle(installed.signal, installed.previous);
            INSTALLED.remove(name);
        }
        return true;
    }

    /** "SIGUSR2", "sigusr2" and "USR2" all name SIGUSR2; KILL and STOP can never be caught. */
    static String canonicalName(String signal) {
        String name = signal.trim().toUpperCase(Locale.ROOT);
        if (name.startsWith("SIG")) {
            name = name.substring(3);
        }
        if (name.equals("KILL") || name.equals("STOP")) {
            throw new IllegalArgumentException("SIG" + name + " cannot be caught (asyncio: \"sig cannot be caught\")");
        }
        return name;
    }

    private static Signal newSignal(String name) {
        try {
            return new Signal(name);
        } catch (IllegalArgumentException unknown) {
            throw new IllegalArgumentException("unknown signal: " + name + " (give a name such as \"SIGHUP\", "
                    + "\"SIGUSR1\" or \"SIGWINCH\")", unknown);
        }
    }
}
