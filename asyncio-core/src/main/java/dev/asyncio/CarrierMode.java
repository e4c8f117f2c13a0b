package dev.asyncio;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How an {@link EventLoop} runs its tasks' virtual threads (docs/design.md §5).
 *
 * <ul>
 *   <li>{@link #PORTABLE}: the JDK's default virtual-thread scheduler. Needs no flag. The turn passes
 *       straight from one task's virtual thread to the next (one unpark and one park per switch),
 *       but the default scheduler may move the next thread to another carrier, which costs more and
 *       varies.</li>
 *   <li>{@link #LOOP_CARRIER}: the loop is the scheduler of its own virtual threads, and the thread
 *       that runs the loop is their only carrier. A switch is then an unmount and a mount on one
 *       platform thread, with no cross-thread wake-up. It needs the JDK's non-public
 *       {@code ThreadBuilders$VirtualThreadBuilder(Executor)} constructor, reachable only with
 *       {@code --add-opens java.base/java.lang=ALL-UNNAMED} (or {@code =dev.asyncio} on the module
 *       path). Only the loop's own task threads run on its thread: a virtual thread that a coroutine
 *       starts (which would inherit the loop's scheduler) runs on the JDK's default scheduler, so it
 *       neither holds up the loop nor depends on it after {@link EventLoop#close()}.</li>
 * </ul>
 * The mode is detected once: {@code LOOP_CARRIER} where the flag is present and the JDK is one the
 * project tested it on, else {@code PORTABLE}. The system property {@code dev.asyncio.carrier}
 * ({@code auto}, {@code portable}, {@code loop}) overrides the choice; {@code loop} without the flag
 * fails loudly when a loop is created.
 *
 * <p><b>Which JDKs.</b> {@code LOOP_CARRIER} relies on JDK internals that change between releases (the
 * builder constructor above, {@code Thread.currentCarrierThread()}, {@code VirtualThread.defaultScheduler()},
 * and how mounting a virtual thread treats its carrier's interrupt flag). At start-up it checks that
 * the members exist with the expected types, that a virtual thread built with a scheduler of ours really
 * runs on the thread that scheduler runs it on, and that the JDK's feature release is one the project's
 * build tests (JDK 25). On any other JDK, {@code auto} falls back to
 * {@code PORTABLE} and says so once through {@link System.Logger} (logger {@code dev.asyncio}, level
 * WARNING), never a crash. To try an untested release anyway, set {@code -Ddev.asyncio.carrier=loop}:
 * it is then used, with the same warning, as long as the members and the behaviour check pass.
 */
public enum CarrierMode {
    /** Tasks run on the JDK's default virtual-thread scheduler. */
    PORTABLE,
    /** Tasks run on virtual threads whose only carrier is the loop's own thread. */
    LOOP_CARRIER;

    /** The JDK feature releases the build tests {@code LOOP_CARRIER} on; keep in step with the README. */
    static final Set<Integer> TESTED_RELEASES = Set.of(25);
    /** {@link #TESTED_RELEASES} in words, for messages. */
    static final String TESTED_RELEASES_TEXT = "JDK 25";

    private static final Logger LOG = System.getLogger("dev.asyncio");
    private static final AtomicBoolean FALLBACK_LOGGED = new AtomicBoolean();

    private static final Constructor<?> LOOP_BUILDER;
    private static final String UNAVAILABLE;
    /** Why this JDK release is not one the mode was tested on, or {@code null} if it is. */
    private static final String UNTESTED;
    /** {@code Thread.currentCarrierThread()}: the platform thread a virtual thread is mounted on. */
    private static final MethodHandle CURRENT_CARRIER;
    /** The JDK's default virtual-thread scheduler, where threads a loop does not own are sent. */
    private static final Executor DEFAULT_SCHEDULER;

    static {
        Constructor<?> ctor = null;
        MethodHandle carrier = null;
        Executor defaultScheduler = null;
        String why = null;
        try {
            Class<?> builder = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
            ctor = builder.getDeclaredConstructor(Executor.class);
            ctor.setAccessible(true);
            MethodHandles.Lookup lang = MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup());
            carrier = lang.findStatic(Thread.class, "currentCarrierThread", MethodType.methodType(Thread.class));
            Method scheduler = Class.forName("java.lang.VirtualThread").getDeclaredMethod("defaultScheduler");
            scheduler.setAccessible(true);
            defaultScheduler = (Executor) scheduler.invoke(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            why = e.toString();
            ctor = null;
        }
        if (ctor != null) {
            why = LoopCarrierProbe.run(ctor, carrier);
            if (why != null) {
                ctor = null;
            }
        }
        LOOP_BUILDER = ctor;
        UNAVAILABLE = why;
        CURRENT_CARRIER = ctor == null ? null : carrier;
        DEFAULT_SCHEDULER = ctor == null ? null : defaultScheduler;
        UNTESTED = untestedReason(Runtime.version().feature());
    }

    /**
     * @param feature a JDK feature release ({@code Runtime.version().feature()})
     * @return {@code null} if {@code LOOP_CARRIER} was tested on it, else why it falls back
     */
    static String untestedReason(int feature) {
        if (TESTED_RELEASES.contains(feature)) {
            return null;
        }
        return "CarrierMode.LOOP_CARRIER was tested on " + TESTED_RELEASES_TEXT + " only, and this is JDK " + feature
                + ", whose internals it relies on may differ; loops run in the PORTABLE mode (same semantics, "
                + "slower task switches). -Ddev.asyncio.carrier=loop uses LOOP_CARRIER anyway, at your own risk";
    }

    /** @return why {@code LOOP_CARRIER} is not used by default here, or {@code null} if it is */
    static String fallbackReason() {
        if (LOOP_BUILDER == null) {
            return UNAVAILABLE;
        }
        return UNTESTED;
    }

    /** The platform thread that runs the calling thread (itself, unless it is virtual); loop-carrier mode only. */
    static Thread currentCarrier() {
        try {
            return (Thread) CURRENT_CARRIER.invokeExact();
        } catch (Throwable e) {
            throw new IllegalStateException("Thread.currentCarrierThread() failed", e);
        }
    }

    /** The JDK's default virtual-thread scheduler; loop-carrier mode only. */
    static Executor defaultScheduler() {
        return DEFAULT_SCHEDULER;
    }

    /**
     * A builder of virtual threads on the JDK's default scheduler, for the loop's helper threads: plain
     * {@code Thread.ofVirtual()} would inherit a loop carrier's scheduler when called from a task.
     */
    static Thread.Builder.OfVirtual helperThreads() {
        if (DEFAULT_SCHEDULER == null) {
            return Thread.ofVirtual(); // no loop carrier can exist in this JVM, so nothing to inherit
        }
        return loopScheduledBuilder(DEFAULT_SCHEDULER);
    }

    /** @return the mode new loops use: the system property's choice, else the fastest available */
    public static CarrierMode defaultMode() {
        String chosen = System.getProperty("dev.asyncio.carrier", "auto").trim().toLowerCase();
        return switch (chosen) {
            case "portable" -> PORTABLE;
            case "loop" -> {
                if (LOOP_BUILDER == null) {
                    throw new IllegalStateException("-Ddev.asyncio.carrier=loop needs the JVM flag "
                            + "--add-opens java.base/java.lang=ALL-UNNAMED (or =dev.asyncio on the module path), "
                            + "on a JDK whose internals pass the start-up check: " + UNAVAILABLE);
                }
                if (UNTESTED != null && FALLBACK_LOGGED.compareAndSet(false, true)) {
                    LOG.log(Level.WARNING, "-Ddev.asyncio.carrier=loop on an untested JDK: "
                            + "LOOP_CARRIER was tested on " + TESTED_RELEASES_TEXT + " only, this is JDK "
                            + Runtime.version().feature());
                }
                yield LOOP_CARRIER;
            }
            case "auto", "" -> {
                if (LOOP_BUILDER == null) {
                    yield PORTABLE;
                }
                if (UNTESTED != null) {
                    if (FALLBACK_LOGGED.compareAndSet(false, true)) {
                        LOG.log(Level.WARNING, UNTESTED);
                    }
                    yield PORTABLE;
                }
                yield LOOP_CARRIER;
            }
            default -> throw new IllegalArgumentException(
                    "-Ddev.asyncio.carrier=" + chosen + " is not one of auto, portable, loop");
        };
    }

    /**
     * @return whether {@link #LOOP_CARRIER} can be used in this JVM: the flag is present and the JDK's
     *     internals passed the start-up check (it may still be an untested release, which
     *     {@link #defaultMode()} does not choose unless asked to)
     */
    public static boolean loopCarrierAvailable() {
        return LOOP_BUILDER != null;
    }

    /** A builder of virtual threads scheduled by {@code scheduler}. */
    static Thread.Builder.OfVirtual loopScheduledBuilder(Executor scheduler) {
        if (LOOP_BUILDER == null) {
            throw new IllegalStateException("CarrierMode.LOOP_CARRIER needs --add-opens java.base/java.lang=ALL-UNNAMED: " + UNAVAILABLE);
        }
        try {
            return (Thread.Builder.OfVirtual) LOOP_BUILDER.newInstance(scheduler);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create a loop-scheduled virtual thread builder", e);
        }
    }
}
