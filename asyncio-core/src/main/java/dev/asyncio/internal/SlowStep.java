package dev.asyncio.internal;

import dev.asyncio.EventLoop;
import dev.asyncio.Task;
import java.time.Duration;
import java.util.List;

/**
 * A step that has held its loop's turn past the threshold of a {@link LoopInternals#watchSlowSteps} watch, the
 * always-on (not only debug mode) slow-step report: passed once per step, from the core's watchdog thread.
 *
 * @param loop the loop held
 * @param task the task whose step it is, or {@code null} for a callback
 * @param held how long it had held the turn when seen, to within one sampling period
 * @param stack where the thread holding the turn is, innermost frame first, if {@code reported}; else empty
 * @param reported whether this one is reported (the first of its report interval, for the whole watch) or is
 *     only to be counted
 * @param unreported if {@code reported}: how many slow steps were not reported since the previous report; else 0
 */
public record SlowStep(EventLoop loop, Task<?> task, Duration held, List<StackTraceElement> stack, boolean reported,
                       long unreported) {
}
