package dev.asyncio;

import java.lang.invoke.MethodHandle;
import java.lang.reflect.Constructor;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The start-up behaviour check of {@link CarrierMode#LOOP_CARRIER}: a virtual thread built with a
 * scheduler of ours runs, as a virtual thread, on the platform thread that the scheduler runs it on, and
 * {@code Thread.currentCarrierThread()} says so. A class of its own because {@link CarrierMode} runs it
 * from its static initializer: the probe thread runs code of this class, never of the class being
 * initialized, which it would wait for while the initializer waits for it.
 */
final class LoopCarrierProbe {
    /** Far more than the microseconds it takes; only a JDK that behaves differently would reach it. */
    private static final Duration BOUND = Duration.ofSeconds(10);

    private LoopCarrierProbe() {
    }

    /**
     * @param builder {@code ThreadBuilders$VirtualThreadBuilder(Executor)}, accessible
     * @param currentCarrier {@code Thread.currentCarrierThread()}
     * @return {@code null} if the check holds, else what went wrong
     */
    static String run(Constructor<?> builder, MethodHandle currentCarrier) {
        AtomicReference<String> outcome = new AtomicReference<>("the probe did not finish within " + BOUND);
        Thread host = Thread.ofPlatform().name("asyncio-carrier-probe").daemon().unstarted(
                () -> outcome.set(probeOn(Thread.currentThread(), builder, currentCarrier)));
        host.start();
        boolean interrupted = false;
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (host.isAlive() && System.nanoTime() < deadline) {
            try {
                host.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                interrupted = true; // the probe ends by itself: wait for it, then give the flag back
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return outcome.get();
    }

    /** On the probe's platform thread {@code me}, which the scheduler below makes the carrier. */
    private static String probeOn(Thread me, Constructor<?> builder, MethodHandle currentCarrier) {
        AtomicReference<String> seen = new AtomicReference<>("the probe's virtual thread did not run on its scheduler");
        try {
            Executor runHere = Runnable::run;
            Thread.Builder.OfVirtual b = (Thread.Builder.OfVirtual) builder.newInstance(runHere);
            Thread v = b.unstarted(() -> {
                try {
                    Thread carrier = (Thread) currentCarrier.invokeExact();
                    seen.set(!Thread.currentThread().isVirtual() ? "the probe did not run on a virtual thread"
                            : carrier != me ? "the probe's carrier was " + carrier + ", not the thread that ran it"
                            : null);
                } catch (Throwable e) {
                    seen.set("Thread.currentCarrierThread() failed: " + e);
                }
            });
            v.start(); // the scheduler runs the continuation right here, on this platform thread
            return v.isAlive() ? "the probe's virtual thread did not finish on its scheduler" : seen.get();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "a loop-scheduled virtual thread could not be started: " + e;
        }
    }
}
