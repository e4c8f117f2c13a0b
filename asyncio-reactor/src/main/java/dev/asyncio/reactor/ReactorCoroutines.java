package dev.asyncio.reactor;

import dev.asyncio.Asyncio;
import dev.asyncio.Coroutine;
import dev.asyncio.EventLoop;
import dev.asyncio.Future;
import dev.asyncio.Task;
import dev.asyncio.VoidCoroutine;
import dev.asyncio.flow.ProducerCoroutine;
import dev.asyncio.flow.PublisherAwaiter;
import dev.asyncio.flow.PublisherIterator;
import dev.asyncio.internal.DefaultBridgeLoop;
import dev.asyncio.internal.LoopInternals;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.util.context.Context;

/**
 * Coroutines meet Project Reactor, after kotlinx-coroutines-reactor; meant for {@code import static}.
 *
 * <pre>{@code
 * Mono<User> user = mono(() -> {                 // a coroutine per subscription
 *     Profile p = await(profiles.find(id));      // suspends the coroutine, not a thread
 *     sleep(Duration.ofMillis(10));
 *     return new User(p);                        // null would complete empty
 * });
 * Flux<Integer> numbers = flux(sink -> {
 *     for (int i = 0; ; i++) sink.emit(i);       // emit suspends while downstream has no demand
 * });
 * }</pre>
 *
 * <p><b>Where coroutines run.</b> {@code mono}/{@code flux} without a loop start their task, at each
 * subscription, on the loop whose coroutine or callback subscribes; under
 * {@code StepVerifier.withVirtualTime}, on a loop whose clock is the virtual-time scheduler (so
 * {@code sleep} follows {@code thenAwait}); otherwise on the loop {@link #setDefaultLoopSupplier} chooses
 * if one was installed (e.g. by asyncio-spring, a pool of loops), else on a shared default loop (a daemon
 * thread started on first use). The overloads with an {@link EventLoop} always use that loop. If the
 * subscriber's Reactor context holds {@link ReactorContext#TASK_NAME_KEY}, the task takes that name.
 *
 * <p><b>Awaiting</b> ({@link #await(Mono)}, {@link #awaitFirst}, {@link #iterate}, …) must happen in a
 * coroutine: it suspends the coroutine only. Signals are handled on the coroutine's loop (directly when
 * they arrive on the loop's own turn, else through one {@code callSoonThreadsafe} per burst; never a
 * hop through another scheduler per element). Cancelling the awaiting task cancels the subscription.
 * The publisher receives the coroutine's {@link ReactorContext} as its subscriber context. A
 * {@link #mono(Coroutine)} awaited on the loop it would run on is not subscribed to: its coroutine runs in
 * the awaiting task, as {@code await coro()} does in Python (see {@link #mono(Coroutine)}).
 *
 * <p><b>Thread-locals</b> (SLF4J's MDC, Micrometer's Observation) follow tasks and cross
 * {@code mono}/{@code flux}/{@code await} in both directions once {@link #enableContextPropagation()} is
 * on (with Micrometer's context-propagation library on the class path).
 *
 * <p><b>Errors</b> reach the awaiter as the same exception object (checked ones too, undeclared). An
 * error that can no longer be delivered (the subscriber cancelled) goes to
 * {@code Operators.onErrorDropped}; a downstream cancel is not an error: it cancels the task.
 *
 * <p><b>Blocking is refused on a loop's turn.</b> Once this class is initialized (any use of it), Reactor's
 * blocking operators called inside a coroutine or a loop callback, where they would stall the loop
 * until their timeout, throw an {@link IllegalStateException} at once that names what to call instead:
 * {@code Mono.block()} → {@link #await(Mono)}, {@code Flux.blockFirst()} → {@link #awaitFirst} /
 * {@link #awaitFirstOrNull}, {@code blockLast()} → {@link #awaitLast}, {@code toIterable()}/{@code toStream()}
 * → {@link #iterate(Publisher)}. Outside a loop's turn nothing changes. This registers one global
 * predicate with Reactor ({@code Schedulers.registerNonBlockingThreadPredicate}); see
 * {@link #installBlockingGuard()}, and {@code -Ddev.asyncio.reactor.blockingGuard=false} to opt out.
 */
public final class ReactorCoroutines {

    static {
        BlockingGuard.install();
    }

    private ReactorCoroutines() {
    }

    /**
     * Makes Reactor refuse its blocking operators ({@code Mono.block()}, {@code blockOptional()},
     * {@code Flux.blockFirst()}, {@code blockLast()}, their timeout forms, {@code toIterable()},
     * {@code toStream()}) on a thread that holds an event loop's turn, with an
     * {@link IllegalStateException} that names the suspending call to use instead ({@link #await(Mono)},
     * {@link #awaitFirst}, {@link #awaitLast}, {@link #iterate(Publisher)}). Without it such a call
     * stalls the whole loop until the operator's timeout, if any: nothing else on the loop runs, so
     * nothing can complete what it waits for.
     *
     * <p>It registers one predicate with {@code Schedulers.registerNonBlockingThreadPredicate} (Reactor
     * ORs it with its own; it is {@code true} only for the calling thread while it holds a loop's turn).
     * This class does it by itself when it is first used; call this method at startup when blocking code
     * may run in coroutines before anything touches this class, or after
     * {@code Schedulers.resetNonBlockingThreadPredicate()} (which removes every registered predicate).
     * Idempotent and thread-safe. With the system property
     * {@code -Ddev.asyncio.reactor.blockingGuard=false} nothing is registered.
     *
     * @return whether the guard is installed ({@code false} only when opted out)
     */
    public static boolean installBlockingGuard() {
        return BlockingGuard.install();
    }

    // ------------------------------------------------------------------ builders

    /**
     * A cold {@code Mono} that runs {@code coroutine} as a new task at each subscription: its value is
     * emitted, {@code null} completes empty, an exception is signalled as {@code onError}, and a
     * downstream cancel cancels the task ({@link dev.asyncio.CancelledError} at its next suspension,
     * reported to no one). The coroutine sees the subscriber's context as {@link ReactorContext}.
     * With {@link #enableContextPropagation()}, it also sees the thread-local values that context holds.
     *
     * <table class="striped">
     *   <caption>What the subscriber receives</caption>
     *   <thead><tr><th>the coroutine</th><th>the {@code Subscriber}</th></tr></thead>
     *   <tbody>
     *     <tr><td>returns a value</td><td>{@code onNext(value)} once requested, then {@code onComplete()}</td></tr>
     *     <tr><td>returns {@code null}</td><td>{@code onComplete()} (an empty {@code Mono})</td></tr>
     *     <tr><td>throws {@code e} (checked or not)</td><td>{@code onError(e)}, the same object</td></tr>
     *     <tr><td>is cancelled (its task, not by the subscriber)</td><td>{@code onError(CancelledError)}</td></tr>
     *     <tr><td>anything, after the subscriber cancelled</td><td>nothing: the task was cancelled; a
     *         later error goes to Reactor's {@code onErrorDropped} hook</td></tr>
     *   </tbody>
     * </table>
     *
     * <p><b>Awaited from a coroutine, it is a call.</b> {@code await(mono(body))} (or {@code awaitSingle},
     * {@code awaitFirst}, … of it, itself and not behind an operator) in a coroutine on the loop the Mono would run
     * on makes no subscription and no task: {@code body} runs in the awaiting task, as Python's
     * {@code await coro()} runs a coroutine in the awaiting task. It runs in a copy of the awaiter's
     * context (its {@code ContextVar} and, with propagation on, thread-local changes stay inside) and sees
     * the awaiter's {@link ReactorContext}; {@code currentTask()} is the awaiter; a cancellation or
     * timeout of the awaiter reaches {@code body} at its next suspension, and its clean-up runs before
     * the {@code await} ends. The outcome is the one the table gives. Every other subscriber gets a task.
     *
     * @param coroutine the coroutine
     * @param <T> its result type
     * @return the Mono; the loop is chosen per subscription (see the class comment)
     */
    public static <T> Mono<T> mono(Coroutine<T> coroutine) {
        return new MonoCoroutine<>(null, Objects.requireNonNull(coroutine, "coroutine"));
    }

    /**
     * A {@code Mono<Void>} of a coroutine without a result; see {@link #mono(Coroutine)}.
     *
     * @param coroutine the coroutine
     * @return the Mono, which completes empty when the coroutine returns
     */
    public static Mono<Void> mono(VoidCoroutine coroutine) {
        return mono(Objects.requireNonNull(coroutine, "coroutine").asCoroutine());
    }

    /**
     * As {@link #mono(Coroutine)}, always on {@code loop}.
     *
     * @param loop the loop the tasks run on
     * @param coroutine the coroutine
     * @param <T> its result type
     * @return the Mono
     */
    public static <T> Mono<T> mono(EventLoop loop, Coroutine<T> coroutine) {
        return new MonoCoroutine<>(Objects.requireNonNull(loop, "loop"), Objects.requireNonNull(coroutine, "coroutine"));
    }

    /**
     * A cold {@code Flux} that runs {@code body} as a new task at each subscription. The body sends
     * elements with {@code sink.emit(v)}, which suspends while downstream has no demand (nothing is
     * buffered past it); the Flux completes when the body returns and fails with its exception; a
     * downstream cancel raises {@link dev.asyncio.CancelledError} at the body's next suspension;
     * {@code request(n <= 0)} is answered with {@code onError(IllegalArgumentException)} (§3.9).
     *
     * <table class="striped">
     *   <caption>What the subscriber receives</caption>
     *   <thead><tr><th>the coroutine</th><th>the {@code Subscriber}</th></tr></thead>
     *   <tbody>
     *     <tr><td>calls {@code sink.emit(v)}</td><td>{@code onNext(v)}, at once if requested, else once
     *         it requests (the body is suspended meanwhile)</td></tr>
     *     <tr><td>returns</td><td>{@code onComplete()}</td></tr>
     *     <tr><td>throws {@code e} (checked or not)</td><td>{@code onError(e)}, the same object</td></tr>
     *     <tr><td>is cancelled (its task, not by the subscriber)</td><td>{@code onError(CancelledError)}</td></tr>
     *     <tr><td>anything, after the subscriber cancelled</td><td>nothing: the body got a
     *         {@code CancelledError} at its next suspension; a later error goes to Reactor's
     *         {@code onErrorDropped} hook</td></tr>
     *   </tbody>
     * </table>
     *
     * @param body the producer coroutine
     * @param <T> the element type
     * @return the Flux; the loop is chosen per subscription (see the class comment)
     */
    public static <T> Flux<T> flux(ProducerCoroutine<T> body) {
        return new FluxCoroutine<>(null, Objects.requireNonNull(body, "body"));
    }

    /**
     * As {@link #flux(ProducerCoroutine)}, always on {@code loop}.
     *
     * @param loop the loop the tasks run on
     * @param body the producer coroutine
     * @param <T> the element type
     * @return the Flux
     */
    public static <T> Flux<T> flux(EventLoop loop, ProducerCoroutine<T> body) {
        return new FluxCoroutine<>(Objects.requireNonNull(loop, "loop"), Objects.requireNonNull(body, "body"));
    }

    // ------------------------------------------------------------------ awaiting

    /**
     * Suspends the calling coroutine until {@code mono} completes and returns its value.
     *
     * @param mono the Mono
     * @param <T> its value type
     * @return the value, or {@code null} if the Mono completed empty
     * @throws dev.asyncio.CancelledError if the calling task is cancelled (the subscription is cancelled)
     * @throws IllegalStateException if not called from a coroutine
     * @throws RuntimeException (or a checked exception, undeclared) the Mono's own error, same object
     */
    public static <T> T await(Mono<T> mono) {
        return await(mono, PublisherAwaiter.Mode.SINGLE_OR_NULL);
    }

    /**
     * Suspends the calling coroutine until {@code publisher} emits, returns the first element and
     * cancels the subscription.
     *
     * @param publisher any Reactive Streams publisher
     * @param <T> the element type
     * @return the first element
     * @throws java.util.NoSuchElementException if it completes empty
     */
    public static <T> T awaitFirst(Publisher<T> publisher) {
        return await(publisher, PublisherAwaiter.Mode.FIRST);
    }

    /**
     * As {@link #awaitFirst}, but {@code null} if the publisher completes empty.
     *
     * @param publisher any Reactive Streams publisher
     * @param <T> the element type
     * @return the first element, or {@code null}
     */
    public static <T> T awaitFirstOrNull(Publisher<T> publisher) {
        return await(publisher, PublisherAwaiter.Mode.FIRST_OR_NULL);
    }

    /**
     * Suspends the calling coroutine until {@code publisher} completes and returns its last element.
     *
     * @param publisher any Reactive Streams publisher
     * @param <T> the element type
     * @return the last element
     * @throws java.util.NoSuchElementException if it completes empty
     */
    public static <T> T awaitLast(Publisher<T> publisher) {
        return await(publisher, PublisherAwaiter.Mode.LAST);
    }

    /**
     * Suspends the calling coroutine until {@code publisher} completes and returns its only element.
     *
     * @param publisher any Reactive Streams publisher
     * @param <T> the element type
     * @return the element
     * @throws java.util.NoSuchElementException if it completes empty
     * @throws IllegalArgumentException if it emits more than one element (the subscription is cancelled)
     */
    public static <T> T awaitSingle(Publisher<T> publisher) {
        return await(publisher, PublisherAwaiter.Mode.SINGLE);
    }

    /**
     * As {@link #awaitSingle}, but {@code null} if the publisher completes empty.
     *
     * @param publisher any Reactive Streams publisher
     * @param <T> the element type
     * @return the element, or {@code null}
     */
    public static <T> T awaitSingleOrNull(Publisher<T> publisher) {
        return await(publisher, PublisherAwaiter.Mode.SINGLE_OR_NULL);
    }

    private static <T> T await(Publisher<T> publisher, PublisherAwaiter.Mode mode) {
        Objects.requireNonNull(publisher, "publisher");
        if (publisher instanceof MonoCoroutine<T> own && own.awaitsInline()) {
            return mode.ofAtMostOne(own.callInline());
        }
        PublisherAwaiter<T> awaiter = new PublisherAwaiter<>(mode);
        publisher.subscribe(asCoreSubscriber(awaiter));
        return awaiter.await();
    }

    /**
     * Subscribes to {@code publisher} for a for-each inside the calling coroutine, with
     * {@link PublisherIterator#DEFAULT_PREFETCH} elements of prefetch; use try-with-resources so that
     * leaving the loop early cancels the subscription (otherwise it is cancelled when the task ends).
     *
     * <pre>{@code
     * try (var items = iterate(flux)) {
     *     for (Item item : items) { ... }
     * }
     * }</pre>
     *
     * @param publisher any Reactive Streams publisher
     * @param <T> the element type
     * @return the single-use iterable
     * @throws IllegalStateException if not called from a coroutine
     */
    public static <T> PublisherIterator<T> iterate(Publisher<T> publisher) {
        return iterate(publisher, PublisherIterator.DEFAULT_PREFETCH);
    }

    /**
     * As {@link #iterate(Publisher)} with a given prefetch.
     *
     * @param publisher any Reactive Streams publisher
     * @param prefetch how many elements to request ahead, at least 1
     * @param <T> the element type
     * @return the single-use iterable
     */
    public static <T> PublisherIterator<T> iterate(Publisher<T> publisher, int prefetch) {
        Objects.requireNonNull(publisher, "publisher");
        PublisherIterator<T> it = new PublisherIterator<>(prefetch);
        publisher.subscribe(asCoreSubscriber(it));
        return it;
    }

    /**
     * The coroutine's subscriber as a Reactor subscriber carrying its {@link ReactorContext}, and its
     * thread-local values when {@link #enableContextPropagation()} is on.
     */
    static <T> CoreSubscriber<T> asCoreSubscriber(Flow.Subscriber<T> subscriber) {
        return new CoreToFlowSubscriber<>(subscriber, upstreamContext());
    }

    /**
     * The Reactor context that a subscription made now by the calling coroutine passes upstream: its
     * {@link ReactorContext}, the calling task as the awaiter, and with propagation on its thread-local values.
     */
    static Context upstreamContext() {
        Context context = AwaitingTask.carry(Context.of(ReactorContext.current()));
        ContextPropagationBridge bridge = ReactorBridgeSettings.contextPropagation;
        return bridge != null ? bridge.withThreadLocals(context) : context;
    }

    // ------------------------------------------------------------------ context propagation

    /**
     * Makes the values of thread-locals registered with Micrometer's context-propagation library
     * ({@code ThreadLocalAccessor}s in {@code ContextRegistry.getInstance()}: SLF4J's MDC through
     * {@code Slf4jThreadLocalAccessor}, Micrometer's current {@code Observation}, a user's own) follow
     * coroutines, as asyncio's {@code contextvars} and this library's {@link dev.asyncio.ContextVar}s do:
     * <ul>
     *   <li>a task gets the values of the thread that creates it ({@code createTask}, {@code Asyncio.run},
     *       {@code loop.submit}, {@code loop.runCoroutineThreadsafe}), read at that moment; it runs on a
     *       virtual thread of its own, so they, and any it sets, last across its suspensions and are seen by
     *       no other task nor by the loop's thread. Loop callbacks carry none, and a task a callback creates
     *       starts with none: callbacks run on whichever thread holds the turn, maybe a task's;</li>
     *   <li>{@link Asyncio#toThread} work runs with the calling task's values (put back afterwards on the
     *       worker thread);</li>
     *   <li>a {@link #mono}/{@link #flux} body runs with the subscribing thread's values overlaid with those
     *       found in the subscriber's Reactor context (e.g. written by {@code contextWrite}), which win;</li>
     *   <li>{@link #await(Mono)}, {@link #awaitFirst}, {@link #iterate} and the other awaits write the
     *       task's current values into the Reactor context of their subscription, so upstream operators
     *       ({@code deferContextual}, and {@code handle}/{@code tap} under Reactor's automatic
     *       propagation) see them.</li>
     * </ul>
     * Values a snapshot lacks are left alone, as with Reactor's own snapshot factory.
     *
     * <p>An explicit switch, like Reactor's {@code Hooks.enableAutomaticContextPropagation()} (which it
     * does not call: that one is about Reactor's operators; Spring Boot turns it on with
     * {@code spring.reactor.context-propagation=auto}): the library is on most Spring class paths, and
     * carrying values costs a capture per task created. Call it once at startup, before the coroutines
     * that need it start; callable from any thread, idempotent.
     *
     * <p>Needs {@code io.micrometer:context-propagation} (1.1 or later), an optional dependency of this
     * module; register the accessors you need yourself. Mind the Reactor context key an accessor reads:
     * Micrometer's {@code new Slf4jThreadLocalAccessor("traceId")} is keyed {@code "cp.slf4j"} and carries a
     * map of MDC entries ({@code ctx.put(Slf4jThreadLocalAccessor.KEY, Map.of("traceId", id))}); a value written
     * as {@code ctx.put("requestId", id)} needs an accessor keyed {@code "requestId"}, e.g.
     * {@code registry.registerThreadLocalAccessor("requestId", () -> MDC.get("requestId"),
     * v -> MDC.put("requestId", v), () -> MDC.remove("requestId"))} (asyncio-spring registers such accessors
     * from {@code asyncio.context-propagation.mdc-keys}, and calls this method itself). A value no accessor
     * reads is reported once per key with a warning.
     *
     * @throws IllegalStateException if {@code io.micrometer:context-propagation} is not on the class path
     */
    public static synchronized void enableContextPropagation() {
        if (ReactorBridgeSettings.contextPropagation != null) {
            return;
        }
        try {
            Class.forName("io.micrometer.context.ContextSnapshotFactory", false, ReactorCoroutines.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError absent) {
            throw new IllegalStateException("enableContextPropagation() needs Micrometer's context-propagation "
                    + "library: add the dependency io.micrometer:context-propagation", absent);
        }
        ReactorBridgeSettings.contextPropagation = ContextPropagationBridge.install();
    }

    /**
     * Undoes {@link #enableContextPropagation()}: tasks, {@code toThread} work and subscriptions started from
     * now on carry no thread-local values (those already started keep theirs). Callable from any thread.
     */
    public static synchronized void disableContextPropagation() {
        ContextPropagationBridge bridge = ReactorBridgeSettings.contextPropagation;
        if (bridge != null) {
            ReactorBridgeSettings.contextPropagation = null;
            bridge.uninstall();
        }
    }

    /** @return whether {@link #enableContextPropagation()} is on */
    public static boolean isContextPropagationEnabled() {
        return ReactorBridgeSettings.contextPropagation != null;
    }

    // ------------------------------------------------------------------ futures and tasks

    /**
     * An asyncio {@link Future} or {@link Task} as a {@code Mono}: its result ({@code null} → empty),
     * its exception, or {@link dev.asyncio.CancelledError} if it is cancelled. Cancelling a
     * subscription cancels the future (for a task: {@code task.cancel()}), so hand over a future
     * that the Mono may own. May be subscribed from any thread.
     *
     * @param future the future
     * @param <T> its result type
     * @return the Mono
     */
    public static <T> Mono<T> toMono(Future<T> future) {
        return FutureMono.of(Objects.requireNonNull(future, "future"));
    }

    /**
     * Subscribes to {@code mono} in a new task of the running loop: the task's result is the Mono's
     * value ({@code null} if empty) or its error; cancelling the task cancels the subscription.
     *
     * @param mono the Mono
     * @param <T> its value type
     * @return the task
     * @throws IllegalStateException if there is no running loop on this thread
     */
    public static <T> Task<T> toTask(Mono<T> mono) {
        Objects.requireNonNull(mono, "mono");
        return Asyncio.createTask(() -> await(mono));
    }

    /**
     * A publisher's first value as a future of {@code loop}, from any thread: completed with the first
     * element ({@code null} if empty) or the error; cancelling the future cancels the subscription.
     *
     * @param publisher the publisher
     * @param loop the loop the future belongs to
     * @param <T> the element type
     * @return the future
     */
    public static <T> Future<T> toFuture(Publisher<T> publisher, EventLoop loop) {
        return PublisherFuture.of(Objects.requireNonNull(publisher, "publisher"), Objects.requireNonNull(loop, "loop"));
    }

    /**
     * As {@link #toFuture(Publisher, EventLoop)}, on the loop whose turn the caller holds, or, called from
     * a thread that runs no loop (a Netty thread, a Spring adapter), on the loop for work started outside
     * any loop ({@link #setDefaultLoopSupplier}, else one shared default loop). Any thread.
     *
     * @param publisher the publisher
     * @param <T> the element type
     * @return the future of its first element, or {@code null} if it completes empty
     */
    public static <T> Future<T> toFuture(Publisher<T> publisher) {
        EventLoop running = LoopInternals.runningLoopOrNull();
        return toFuture(publisher, running != null ? running : ReactorBridgeSettings.LOOPS.outsideAnyLoop());
    }

    // ------------------------------------------------------------------ scheduler

    /**
     * {@code loop} as a Reactor {@link Scheduler}: tasks run as loop callbacks (FIFO), delayed and
     * periodic ones on the loop's timers and clock; for {@code publishOn}/{@code subscribeOn} onto the
     * loop. Disposing it cancels its pending tasks, not the loop. {@code now()} is the loop's time under
     * a virtual clock.
     *
     * @param loop the loop
     * @return a scheduler over it
     */
    public static Scheduler scheduler(EventLoop loop) {
        return new LoopScheduler(loop);
    }

    /**
     * The running loop as a Reactor {@link Scheduler}; see {@link #scheduler(EventLoop)}.
     *
     * @return a scheduler over the running loop
     * @throws IllegalStateException if there is no running loop on this thread
     */
    public static Scheduler scheduler() {
        return new LoopScheduler(Asyncio.getRunningLoop());
    }

    /**
     * Installs the choice of loop for coroutines and futures that start outside any loop: a
     * {@code mono}/{@code flux} without a loop subscribed from a thread that runs no loop (a Netty
     * thread, a test's main thread), and a future made by {@link #toFuture(Publisher)} off any loop (asyncio-spring's adapters).
     * Without a supplier (the default) they use one shared loop per JVM. A library that owns loops, e.g.
     * asyncio-spring's pool, installs one for its lifetime.
     *
     * <p>The supplier is called at each such subscription, on the subscribing thread, so it must be
     * thread-safe and must not block. When it returns {@code null} or a closed loop, the shared default
     * loop is used for that subscription (so a supplier left installed after its loops were closed does
     * no harm). Virtual time ({@code StepVerifier.withVirtualTime}) still takes precedence. Callable from
     * any thread; the new supplier applies to later subscriptions.
     *
     * @param supplier the choice of loop, or {@code null} to go back to the shared default loop
     * @return the supplier installed before, or {@code null} if there was none, so that a caller can
     *     restore it
     */
    public static Supplier<EventLoop> setDefaultLoopSupplier(Supplier<EventLoop> supplier) {
        return ReactorBridgeSettings.LOOPS.setDefaultLoopSupplier(supplier);
    }

    /** The default loop of {@code mono}/{@code flux} subscribed outside any loop, started on first use. */
    static EventLoop defaultLoop() {
        return DefaultBridgeLoop.get();
    }
}
