package dev.asyncio;

import java.lang.reflect.Constructor;
import java.util.concurrent.Executor;

/**
 * How an {@link EventLoop} runs its tasks' virtual threads (DESIGN.md §5).
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
 *       path).</li>
 * </ul>
 * The mode is detected once: {@code LOOP_CARRIER} where the flag is present, else {@code PORTABLE}.
 * The system property {@code dev.asyncio.carrier} ({@code auto}, {@code portable}, {@code loop})
 * overrides the choice; {@code loop} without the flag fails loudly when a loop is created.
 */
public enum CarrierMode {
    /** Tasks run on the JDK's default virtual-thread scheduler. */
    PORTABLE,
    /** Tasks run on virtual threads whose only carrier is the loop's own thread. */
    LOOP_CARRIER;

    private static final Constructor<?> LOOP_BUILDER;
    private static final String UNAVAILABLE;

    static {
        Constructor<?> ctor = null;
        String why = null;
        try {
            Class<?> builder = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
            ctor = builder.getDeclaredConstructor(Executor.class);
            ctor.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            why = e.toString();
            ctor = null;
        }
        LOOP_BUILDER = ctor;
        UNAVAILABLE = why;
    }

    /** @return the mode new loops use: the system property's choice, else the fastest available */
    public static CarrierMode defaultMode() {
        String chosen = System.getProperty("dev.asyncio.carrier", "auto").trim().toLowerCase();
        return switch (chosen) {
            case "portable" -> PORTABLE;
            case "loop" -> {
                if (LOOP_BUILDER == null) {
                    throw new IllegalStateException("-Ddev.asyncio.carrier=loop needs the JVM flag "
                            + "--add-opens java.base/java.lang=ALL-UNNAMED (or =dev.asyncio on the module path): " + UNAVAILABLE);
                }
                yield LOOP_CARRIER;
            }
            case "auto", "" -> LOOP_BUILDER != null ? LOOP_CARRIER : PORTABLE;
            default -> throw new IllegalArgumentException(
                    "-Ddev.asyncio.carrier=" + chosen + " is not one of auto, portable, loop");
        };
    }

    /** @return whether {@link #LOOP_CARRIER} can be used in this JVM */
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
