package dev.asyncio.engine;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongPredicate;
import java.util.function.ObjLongConsumer;

/**
 * How an idle loop moves a virtual clock: asks it to jump to the next deadline, or to wake the loop once it
 * has moved. Not part of the public {@code Clock} interface: only the project's virtual clocks drive a
 * loop this way ({@code VirtualClock}, the test kit's {@code TestClock}, the bridges' scheduler clocks),
 * and they register a driver per clock class here, the bridges through
 * {@code dev.asyncio.internal.LoopInternals}. A clock with no driver behaves as before the split: it never
 * jumps and ignores wake-up requests (its loop waits until woken by other means).
 *
 * <p>The registry is keyed by class, not by clock, so that it holds no clock; a loop looks its driver up
 * once, when it is created. Thread-safe.
 */
public interface ClockDriver {
    /** For a clock whose class registered no driver: never jumps, ignores wake-up requests. */
    ClockDriver NONE = new ClockDriver() {
        @Override
        public boolean jumpTo(long deadlineNanos) {
            return false;
        }

        @Override
        public void wakeAt(long deadlineNanos, Runnable wakeup) {
        }
    };

    /**
     * Asked by an idle loop whose next timer is due at {@code deadlineNanos} when nothing is runnable and
     * nothing outside the loop is in flight; on the loop's turn. An auto-jumping virtual clock moves to the
     * deadline and returns {@code true}; other clocks return {@code false} and the loop waits.
     *
     * @param deadlineNanos the next deadline, later than the clock's reading
     * @return whether the clock now reads at least {@code deadlineNanos}
     */
    boolean jumpTo(long deadlineNanos);

    /**
     * Asked by a loop that is about to wait on a virtual clock for {@code deadlineNanos}, on its turn: run
     * {@code wakeup} (on any thread) once the clock has moved, at the latest when it reaches the deadline.
     *
     * @param deadlineNanos the deadline the loop waits for
     * @param wakeup thread-safe action that wakes the loop
     */
    void wakeAt(long deadlineNanos, Runnable wakeup);

    /**
     * @param jumpTo what {@link #jumpTo} calls
     * @param wakeAt what {@link #wakeAt} calls, with the wake-up action and the deadline
     * @return a driver calling them
     */
    static ClockDriver calling(LongPredicate jumpTo, ObjLongConsumer<Runnable> wakeAt) {
        Objects.requireNonNull(jumpTo, "jumpTo");
        Objects.requireNonNull(wakeAt, "wakeAt");
        return new ClockDriver() {
            @Override
            public boolean jumpTo(long deadlineNanos) {
                return jumpTo.test(deadlineNanos);
            }

            @Override
            public void wakeAt(long deadlineNanos, Runnable wakeup) {
                wakeAt.accept(wakeup, deadlineNanos);
            }
        };
    }

    /**
     * Registers how to drive the clocks of {@code clockClass} (and of its subclasses that register none),
     * from that class's static initializer, so before any of its clocks reaches a loop.
     *
     * @param clockClass the clock class
     * @param driverOf the driver of one clock
     * @param <C> the clock type
     */
    static <C> void register(Class<C> clockClass, Function<? super C, ? extends ClockDriver> driverOf) {
        Objects.requireNonNull(driverOf, "driverOf");
        Registry.DRIVERS.put(Objects.requireNonNull(clockClass, "clockClass"), c -> driverOf.apply(clockClass.cast(c)));
    }

    /**
     * @param clock a loop's clock
     * @return the driver registered for its class or nearest superclass, else {@link #NONE}; any thread
     */
    static ClockDriver of(Object clock) {
        for (Class<?> c = clock.getClass(); c != null; c = c.getSuperclass()) {
            Function<Object, ? extends ClockDriver> driverOf = Registry.DRIVERS.get(c);
            if (driverOf != null) {
                return driverOf.apply(clock);
            }
        }
        return NONE;
    }

    /** The drivers by clock class: a holder, since an interface's fields are public. */
    final class Registry {
        private static final Map<Class<?>, Function<Object, ? extends ClockDriver>> DRIVERS = new ConcurrentHashMap<>();

        private Registry() {
        }
    }
}
