package dev.asyncio.engine;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The non-public {@code java.lang} members that {@code CarrierMode.LOOP_CARRIER} is built on, resolved
 * with their expected signatures and checked by a behavioural self-test. {@code CarrierMode} does both
 * once per JVM and keeps the result.
 *
 * <p>Deliberately without static state: {@code CarrierMode}'s class initializer runs the self-test, whose
 * platform thread runs code of this class; had this class an initializer of its own still in progress,
 * that thread would wait for it and the initializer for the thread.
 */
public final class VirtualThreadInternals {
    /**
     * How long the self-test waits for the JDK to hand it one run of its virtual thread. Only a JDK that
     * never does (internals that changed behind an unchanged signature) ever waits this long; it is a bound
     * on start-up, not a measurement.
     */
    private static final long HAND_OFF_LIMIT_SECONDS = 10;

    /** {@code ThreadBuilders$VirtualThreadBuilder(Executor)}: a virtual-thread builder with a given scheduler. */
    private final Constructor<?> builderConstructor;
    /** {@code VirtualThread.defaultScheduler()}'s result: the JDK's own scheduler. */
    private final Executor defaultScheduler;

    private VirtualThreadInternals(Constructor<?> builderConstructor, Executor defaultScheduler) {
        this.builderConstructor = builderConstructor;
        this.defaultScheduler = defaultScheduler;
    }

    /** @return whether {@code java.lang} is open to this module, i.e. whether the JVM got the add-opens flag */
    public static boolean javaLangOpened() {
        return Thread.class.getModule().isOpen("java.lang", VirtualThreadInternals.class.getModule());
    }

    /**
     * Finds the members and checks that they have the shape {@code LoopCarrier} and {@code Turn} use.
     *
     * @return the resolved members
     * @throws ReflectiveOperationException if a member is missing
     * @throws IllegalStateException if a member has another type or shape than expected
     * @throws RuntimeException if {@code java.lang} is not open to this module
     */
    public static VirtualThreadInternals resolve() throws ReflectiveOperationException {
        // Looked up here, where a failure decides the fallback to portable mode, and again on first use
        // into the constants of Handles.
        runContinuationGetter();
        currentCarrierHandle();
        threadLocalsGetter("threadLocals");
        threadLocalsGetter("inheritableThreadLocals");
        uncaughtHandlerGetter();
        Class<?> builderClass = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
        if (!Thread.Builder.OfVirtual.class.isAssignableFrom(builderClass)) {
            throw new IllegalStateException(builderClass.getName() + " is not a Thread.Builder.OfVirtual");
        }
        Constructor<?> ctor = builderClass.getDeclaredConstructor(Executor.class);
        ctor.setAccessible(true);
        Method scheduler = Class.forName("java.lang.VirtualThread").getDeclaredMethod("defaultScheduler");
        if (!Modifier.isStatic(scheduler.getModifiers()) || !Executor.class.isAssignableFrom(scheduler.getReturnType())) {
            throw new IllegalStateException("java.lang.VirtualThread.defaultScheduler() is not a static method returning an Executor");
        }
        scheduler.setAccessible(true);
        if (!(scheduler.invoke(null) instanceof Executor defaultScheduler)) {
            throw new IllegalStateException("java.lang.VirtualThread.defaultScheduler() returned null");
        }
        return new VirtualThreadInternals(ctor, defaultScheduler);
    }

    /** A builder of virtual threads whose scheduler is {@code scheduler}. */
    public Thread.Builder.OfVirtual builder(Executor scheduler) {
        try {
            return (Thread.Builder.OfVirtual) builderConstructor.newInstance(scheduler);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create a loop-scheduled virtual thread builder", e);
        }
    }

    /**
     * The platform thread that runs the calling thread (itself, unless it is virtual). Only once an instance
     * was {@link #resolve() resolved}, as by every loop-carrier loop (its carrier, the loop registry) and the
     * self-test.
     *
     * @return the calling thread's carrier
     */
    public static Thread currentCarrierThread() {
        try {
            return (Thread) Handles.CURRENT_CARRIER.invokeExact();
        } catch (Throwable e) {
            throw new IllegalStateException("Thread.currentCarrierThread() failed", e);
        }
    }

    /**
     * The continuation the JDK hands a virtual thread's scheduler whenever the thread is to run: the same
     * object for the thread's whole life (checked by {@link #selfTest()}), so the loop's carrier tells its
     * own threads' runs apart by it without a field per task.
     *
     * @param thread a virtual thread
     * @return its {@code VirtualThread.runContinuation}
     * @throws ClassCastException if {@code thread} is not virtual
     */
    public Runnable runContinuation(Thread thread) {
        try {
            return (Runnable) Handles.RUN_CONTINUATION.invokeExact(thread);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("reading VirtualThread.runContinuation failed", e);
        }
    }

    private static MethodHandle runContinuationGetter() throws ReflectiveOperationException {
        Class<?> virtualThread = Class.forName("java.lang.VirtualThread");
        return MethodHandles.privateLookupIn(virtualThread, MethodHandles.lookup())
                .findGetter(virtualThread, "runContinuation", Runnable.class)
                .asType(MethodType.methodType(Runnable.class, Thread.class));
    }

    /**
     * Whether {@code thread} carries none of the per-thread state a task could leave behind for the next task
     * run on the same thread: no thread-local map, no inheritable-thread-local map, no uncaught-exception
     * handler of its own (see the engine's {@code Turn.fiberExited}).
     *
     * @param thread a thread
     * @return whether those three fields of {@code Thread} are {@code null}
     */
    public boolean hasNoThreadState(Thread thread) {
        try {
            return (Object) Handles.THREAD_LOCALS.invokeExact(thread) == null
                    && (Object) Handles.INHERITABLE_THREAD_LOCALS.invokeExact(thread) == null
                    && (Thread.UncaughtExceptionHandler) Handles.UNCAUGHT_HANDLER.invokeExact(thread) == null;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("reading a Thread's thread-local maps failed", e);
        }
    }

    /** A getter of the field {@code name} of {@code Thread}, declared {@code declared}, typed {@code (Thread) -> type}. */
    private static MethodHandle threadField(String name, String declared, Class<?> type) throws ReflectiveOperationException {
        return MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup())
                .findGetter(Thread.class, name, Class.forName(declared))
                .asType(MethodType.methodType(type, Thread.class));
    }

    private static MethodHandle threadLocalsGetter(String name) throws ReflectiveOperationException {
        return threadField(name, "java.lang.ThreadLocal$ThreadLocalMap", Object.class);
    }

    private static MethodHandle uncaughtHandlerGetter() throws ReflectiveOperationException {
        return threadField("uncaughtExceptionHandler", Thread.UncaughtExceptionHandler.class.getName(),
                Thread.UncaughtExceptionHandler.class);
    }

    private static MethodHandle currentCarrierHandle() throws ReflectiveOperationException {
        return MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup())
                .findStatic(Thread.class, "currentCarrierThread", MethodType.methodType(Thread.class));
    }

    /**
     * The handles used on every hand-over, in constants: the JIT inlines a constant handle (here
     * {@code currentCarrierThread()} becomes its intrinsic), while one in an instance field is an indirect
     * call (measured: 22 of 500 CPU samples of a million virtual-time sleepers). Initialized on the first
     * hand-over of a loop-carrier loop, after {@link #resolve()} found both members.
     */
    private static final class Handles {
        static final MethodHandle CURRENT_CARRIER;
        static final MethodHandle RUN_CONTINUATION;
        static final MethodHandle THREAD_LOCALS;
        static final MethodHandle INHERITABLE_THREAD_LOCALS;
        static final MethodHandle UNCAUGHT_HANDLER;

        static {
            try {
                CURRENT_CARRIER = currentCarrierHandle();
                RUN_CONTINUATION = runContinuationGetter();
                THREAD_LOCALS = threadLocalsGetter("threadLocals");
                INHERITABLE_THREAD_LOCALS = threadLocalsGetter("inheritableThreadLocals");
                UNCAUGHT_HANDLER = uncaughtHandlerGetter();
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private Handles() {
        }
    }

    /** The JDK's default virtual-thread scheduler. */
    public Executor defaultScheduler() {
        return defaultScheduler;
    }

    /**
     * Checks that the members behave as {@code LoopCarrier} expects, on a platform thread of its own that
     * is the only carrier of one virtual thread scheduled by a queue: the JDK must hand the thread's start
     * and its unpark by another thread to that scheduler, always as the same continuation object (the loop
     * recognises its tasks by it), the thread must run on the executing platform thread, and
     * {@code currentCarrierThread()} must return that thread. Joins its thread before returning; only on a
     * JDK that never hands the virtual thread back does that virtual thread stay parked, unreachable.
     *
     * @return {@code null} if everything held, else what did not
     */
    public String selfTest() {
        BlockingQueue<Runnable> submitted = new LinkedBlockingQueue<>();
        String[] outcome = {"the self-test's thread ended without a verdict"};
        Thread prober = Thread.ofPlatform()
                .name("asyncio-carrier-self-test")
                .daemon(true)
                .unstarted(() -> outcome[0] = carry(submitted));
        prober.start();
        joinUninterruptibly(prober);
        return outcome[0];
    }

    /**
     * Runs one virtual thread on the JDK's default scheduler to its end, for a JVM whose loops will run in
     * portable mode ({@code CarrierMode} calls it once, when the self-test did not pass; the self-test's own
     * virtual thread ends otherwise). The JDK's {@code VirtualThread.run} loads a class on a thread's way out
     * (its end event's) only when a virtual thread first ends. Compiled before that, as when a loop starts
     * thousands of tasks before any ends, it traps on the unloaded class, and every task parked in that
     * compiled frame is then deoptimized as it ends: a million sleepers woke in 6.5 s instead of 1.5
     * (benchmarks/README.md, "Virtual time: the deoptimization storm").
     */
    public static void endOneVirtualThread() {
        joinUninterruptibly(Thread.ofVirtual().name("asyncio-first-virtual-thread-end").start(() -> {
        }));
    }

    /** Waits for {@code thread} to end; an interrupt meanwhile is kept, and set again on return. */
    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the flag is clear now, so the next join blocks: restored below
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** On the self-test's platform thread: carries one virtual thread through a start and a park. */
    private String carry(BlockingQueue<Runnable> submitted) {
        Thread me = Thread.currentThread();
        Thread[] carriers = new Thread[2];
        boolean[] virtual = new boolean[1];
        Throwable[] thrown = new Throwable[1];
        try {
            Thread probe = builder(submitted::add)
                    .name("asyncio-carrier-self-test-virtual")
                    .uncaughtExceptionHandler((t, e) -> thrown[0] = e)
                    .unstarted(() -> {
                        virtual[0] = Thread.currentThread().isVirtual();
                        carriers[0] = currentCarrierThread();
                        LockSupport.park();
                        carriers[1] = currentCarrierThread();
                    });
            probe.start();
            Runnable first = null;
            for (int run = 1; ; run++) {
                Runnable next = submitted.poll(HAND_OFF_LIMIT_SECONDS, TimeUnit.SECONDS);
                if (next == null) {
                    return "the JDK did not hand run " + run + " of a virtual thread to the thread's scheduler";
                }
                if (first == null) {
                    first = next;
                } else if (next != first) {
                    return "the JDK handed the scheduler a different continuation object for the same virtual thread";
                }
                if (next != runContinuation(probe)) {
                    return "the JDK handed the scheduler another object than the thread's runContinuation";
                }
                next.run();
                if (!probe.isAlive()) {
                    break;
                }
                if (run == 2) {
                    return "a virtual thread that parks once was still alive after two runs";
                }
                LockSupport.unpark(probe); // from another thread: must come back through the scheduler
            }
            probe.join(); // already terminated: only orders its writes before the reads below
        } catch (InterruptedException e) {
            return "the self-test was interrupted";
        } catch (RuntimeException | LinkageError e) {
            return "building, starting or running a loop-scheduled virtual thread failed: " + e;
        }
        if (thrown[0] != null) {
            return "the self-test's virtual thread failed: " + thrown[0];
        }
        if (!submitted.isEmpty()) {
            return "the JDK handed the scheduler more runs than the virtual thread needed";
        }
        if (!virtual[0]) {
            return "a thread built by ThreadBuilders$VirtualThreadBuilder(Executor) is not virtual";
        }
        if (carriers[0] != me || carriers[1] != me) {
            return "Thread.currentCarrierThread() did not return the platform thread that ran the virtual thread";
        }
        return null;
    }
}
