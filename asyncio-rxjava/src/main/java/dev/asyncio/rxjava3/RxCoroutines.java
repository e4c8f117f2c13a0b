package dev.asyncio.rxjava3;

import dev.asyncio.CancelledError;
import dev.asyncio.Coroutine;
import dev.asyncio.EventLoop;
import dev.asyncio.Future;
import dev.asyncio.VoidCoroutine;
import dev.asyncio.flow.FlowSink;
import dev.asyncio.flow.ProducerCoroutine;
import dev.asyncio.flow.PublisherAwaiter;
import dev.asyncio.flow.PublisherIterator;
import dev.asyncio.internal.DefaultBridgeLoop;
import io.reactivex.rxjava3.core.Completable;
import io.reactivex.rxjava3.core.CompletableSource;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Maybe;
import io.reactivex.rxjava3.core.MaybeSource;
import io.reactivex.rxjava3.core.Observable;
import io.reactivex.rxjava3.core.ObservableSource;
import io.reactivex.rxjava3.core.Scheduler;
import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.core.SingleSource;
import io.reactivex.rxjava3.plugins.RxJavaPlugins;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.reactivestreams.Publisher;

/**
 * Coroutines and RxJava 3, both ways (the counterpart of kotlinx-coroutines-rx3, and of
 * {@code ReactorCoroutines} for Reactor). Meant for {@code import static dev.asyncio.rxjava3.RxCoroutines.*}.
 *
 * <p><b>Builders</b> turn a coroutine into a cold RxJava source: {@link #single}, {@link #maybe},
 * {@link #completable}, {@link #observable}, {@link #flowable}. Each subscription starts a new task that runs the
 * coroutine; disposing the subscription cancels that task ({@link CancelledError} at its current or
 * next suspension) and is not reported as an error. An error that arrives when no subscriber can take
 * it any more goes to {@link RxJavaPlugins#onError}, RxJava's rule.
 *
 * <p><b>Where a builder's coroutine runs</b>, decided at each subscription:
 * <ol>
 *   <li>on the loop passed to the builder, if any ({@code single(loop, coroutine)});</li>
 *   <li>else on the loop whose turn the subscribing thread holds (subscribed from a coroutine or
 *       callback): the task starts in that loop's next iteration and signals the subscriber on its turn;</li>
 *   <li>else, if {@code RxJavaPlugins.setComputationSchedulerHandler} made the computation scheduler a
 *       {@code TestScheduler}, on a loop whose clock is that scheduler ({@link SchedulerClock}): a
 *       coroutine's {@code sleep} then follows {@code testScheduler.advanceTimeBy}, which returns only
 *       when the loop has caught up;</li>
 *   <li>else on a shared default loop, started on first use on a daemon thread
 *       ({@link #defaultLoop()}).</li>
 * </ol>
 * A subscription from another thread is handed to the loop with {@code callSoonThreadsafe}; the
 * subscriber's signals then arrive on that loop's turn, not on the subscribing thread.
 *
 * <p><b>Awaiting</b> RxJava sources inside a coroutine: {@link #await(SingleSource)},
 * {@link #await(MaybeSource)}, {@link #await(CompletableSource)}, {@link #awaitFirst(ObservableSource)}
 * and friends, the same on a {@link Publisher}, and {@link #iterate(Publisher)} for a for-each with
 * bounded prefetch. They suspend the calling coroutine (they must be called from one) and return the value
 * or rethrow the source's error as the same object (a checked exception too, undeclared: catch
 * {@code Exception} and test it). Cancelling the awaiting task disposes the subscription. Signals from
 * other threads reach the loop with one {@code callSoonThreadsafe} per outcome; a signal that arrives
 * on the loop's turn is taken directly.
 *
 * <p><b>Awaiting a builder's own source is a call.</b> {@code await(single(body))} ({@code maybe},
 * {@code completable} too, the source itself and not behind an operator) in a coroutine on the loop the
 * source would run on makes no subscription and no task: {@code body} runs in the awaiting task, as
 * Python's {@code await coro()} runs a coroutine in the awaiting task. It runs in a copy of the awaiter's
 * context (its {@code ContextVar} changes stay inside); {@code currentTask()} is the awaiter; a
 * cancellation or timeout of the awaiter reaches {@code body} at its next suspension, and its clean-up
 * runs before the {@code await} ends. The outcome is the one the builder's table gives the subscriber.
 *
 * <p><b>Conversions</b>: a {@link Future} or {@code Task} as a {@code Single}/{@code Maybe}/{@code
 * Completable} ({@link #asSingle}, {@link #asMaybe}, {@link #asCompletable}) and back
 * ({@link #asFuture(SingleSource)}, …); a loop as an RxJava {@link Scheduler} ({@link #asScheduler}).
 *
 * <p>Where Java idioms replace Kotlin's: {@code rxSingle { }} is {@code single(() -> ...)};
 * {@code ProducerScope.send} is {@link ObservableSink#emit} or {@link FlowSink#emit}; {@code Single.await()} is
 * {@code await(single)}; the coroutine context argument becomes an optional {@link EventLoop}.
 *
 * <p><b>Blocking is refused on a loop's turn.</b> Once this class is initialized (any use of it), RxJava's
 * blocking operators called inside a coroutine or a loop callback while the source is not yet complete,
 * where they would stall the loop, throw an {@link IllegalStateException} at once that names what to call
 * instead: {@code single.blockingGet()} → {@link #await(SingleSource)}, {@code blockingAwait()} →
 * {@link #await(CompletableSource)}, {@code blockingFirst()}/{@code blockingLast()} →
 * {@link #awaitFirst(ObservableSource)}/{@link #awaitLast(ObservableSource)}, {@code blockingIterable()} →
 * {@link #iterate(Publisher)}. This sets two global RxJava hooks; see {@link #installBlockingGuard()},
 * and {@code -Ddev.asyncio.rxjava3.blockingGuard=false} to opt out.
 */
public final class RxCoroutines {
    static {
        BlockingGuard.install();
    }

    private RxCoroutines() {
    }

    /**
     * Makes RxJava refuse its blocking operators ({@code blockingGet()}, {@code blockingAwait()},
     * {@code blockingFirst()}, {@code blockingLast()}, {@code blockingSingle()}, {@code blockingIterable()},
     * {@code blockingForEach()}, {@code blockingSubscribe()}, {@code toFuture().get()}, …) on a thread that
     * holds an event loop's turn, with an {@link IllegalStateException} that names the suspending call to
     * use instead. Without it such a call stalls the whole loop: nothing else on it runs, so nothing
     * can complete what it waits for. RxJava only checks when it is about to wait: a source that has
     * already completed (e.g. {@code Single.just(x)}) still answers.
     *
     * <p>It sets two <b>global</b> RxJava settings: {@code RxJavaPlugins.setOnBeforeBlocking(hook)}, where
     * the hook wraps the one set before, if any (consulted off a loop's turn), and
     * {@code RxJavaPlugins.setFailOnNonBlockingScheduler(true)}, without which RxJava consults no hook; the
     * latter also makes RxJava refuse blocking on its own computation and single schedulers' threads,
     * which is what that setting is for. This class does it by itself when it is first used; call this
     * method at startup when blocking code may run in coroutines before anything touches this class, or
     * after {@code RxJavaPlugins.reset()} (which removes it). Idempotent and thread-safe. Nothing is set
     * with the system property {@code -Ddev.asyncio.rxjava3.blockingGuard=false}, nor after
     * {@code RxJavaPlugins.lockdown()}.
     *
     * @return whether the guard is installed ({@code false} when opted out or locked down)
     */
    public static boolean installBlockingGuard() {
        return BlockingGuard.install();
    }

    // ------------------------------------------------------------------ builders

    /**
     * A cold {@link Single} that runs {@code coroutine} as a new task for each subscriber.
     *
     * <table class="striped">
     *   <caption>What the subscriber receives</caption>
     *   <thead><tr><th>the coroutine</th><th>the {@code SingleObserver}</th></tr></thead>
     *   <tbody>
     *     <tr><td>returns a value</td><td>{@code onSuccess(value)}</td></tr>
     *     <tr><td>returns {@code null}</td><td>{@code onError(NullPointerException)}: a {@code Single}
     *         carries no {@code null} (use {@link #maybe})</td></tr>
     *     <tr><td>throws {@code e} (checked or not)</td><td>{@code onError(e)}, the same object</td></tr>
     *     <tr><td>is cancelled (its task, not by the subscriber)</td><td>{@code onError(CancelledError)}</td></tr>
     *     <tr><td>anything, after the subscriber disposed</td><td>nothing; the task was cancelled; a
     *         later error other than {@code CancelledError} goes to {@code RxJavaPlugins.onError}</td></tr>
     *   </tbody>
     * </table>
     *
     * <p>Signals are sent on the loop's turn (see the class comment for which loop). An exception
     * thrown by the observer's {@code onSuccess}/{@code onError} goes to {@code RxJavaPlugins.onError}.
     *
     * @param coroutine the coroutine, run once per subscription
     * @param <T> the value type
     * @return the cold single
     */
    public static <T> Single<T> single(Coroutine<T> coroutine) {
        return single(null, coroutine);
    }

    /**
     * {@link #single(Coroutine)} on {@code loop}: each subscription runs the coroutine there, whatever
     * thread subscribes. A closed loop fails the subscriber with {@link IllegalStateException}.
     *
     * @param loop the loop to run on, or {@code null} to choose per subscription as the class comment says
     * @param coroutine the coroutine, run once per subscription
     * @param <T> the value type
     * @return the cold single
     */
    public static <T> Single<T> single(EventLoop loop, Coroutine<T> coroutine) {
        Objects.requireNonNull(coroutine, "coroutine");
        return RxJavaPlugins.onAssembly(new CoroutineSingle<>(loop, coroutine));
    }

    /**
     * A cold {@link Maybe} that runs {@code coroutine} as a new task for each subscriber.
     *
     * <table class="striped">
     *   <caption>What the subscriber receives</caption>
     *   <thead><tr><th>the coroutine</th><th>the {@code MaybeObserver}</th></tr></thead>
     *   <tbody>
     *     <tr><td>returns a value</td><td>{@code onSuccess(value)}</td></tr>
     *     <tr><td>returns {@code null}</td><td>{@code onComplete()}</td></tr>
     *     <tr><td>throws {@code e}</td><td>{@code onError(e)}, the same object</td></tr>
     *     <tr><td>is cancelled (its task, not by the subscriber)</td><td>{@code onError(CancelledError)}</td></tr>
     *     <tr><td>anything, after the subscriber disposed</td><td>nothing; the task was cancelled; a
     *         later error other than {@code CancelledError} goes to {@code RxJavaPlugins.onError}</td></tr>
     *   </tbody>
     * </table>
     *
     * @param coroutine the coroutine, run once per subscription
     * @param <T> the value type
     * @return the cold maybe
     */
    public static <T> Maybe<T> maybe(Coroutine<T> coroutine) {
        return maybe(null, coroutine);
    }

    /**
     * {@link #maybe(Coroutine)} on {@code loop}.
     *
     * @param loop the loop to run on, or {@code null} to choose per subscription
     * @param coroutine the coroutine, run once per subscription
     * @param <T> the value type
     * @return the cold maybe
     */
    public static <T> Maybe<T> maybe(EventLoop loop, Coroutine<T> coroutine) {
        Objects.requireNonNull(coroutine, "coroutine");
        return RxJavaPlugins.onAssembly(new CoroutineMaybe<>(loop, coroutine));
    }

    /**
     * A cold {@link Completable} that runs {@code coroutine} as a new task for each subscriber.
     *
     * <table class="striped">
     *   <caption>What the subscriber receives</caption>
     *   <thead><tr><th>the coroutine</th><th>the {@code CompletableObserver}</th></tr></thead>
     *   <tbody>
     *     <tr><td>returns</td><td>{@code onComplete()}</td></tr>
     *     <tr><td>throws {@code e}</td><td>{@code onError(e)}, the same object</td></tr>
     *     <tr><td>is cancelled (its task, not by the subscriber)</td><td>{@code onError(CancelledError)}</td></tr>
     *     <tr><td>anything, after the subscriber disposed</td><td>nothing; the task was cancelled; a
     *         later error other than {@code CancelledError} goes to {@code RxJavaPlugins.onError}</td></tr>
     *   </tbody>
     * </table>
     *
     * @param coroutine the coroutine, run once per subscription
     * @return the cold completable
     */
    public static Completable completable(VoidCoroutine coroutine) {
        return completable(null, coroutine);
    }

    /**
     * {@link #completable(VoidCoroutine)} on {@code loop}.
     *
     * @param loop the loop to run on, or {@code null} to choose per subscription
     * @param coroutine the coroutine, run once per subscription
     * @return the cold completable
     */
    public static Completable completable(EventLoop loop, VoidCoroutine coroutine) {
        Objects.requireNonNull(coroutine, "coroutine");
        return RxJavaPlugins.onAssembly(new CoroutineCompletable(loop, coroutine));
    }

    /**
     * A cold {@link Observable} whose elements a coroutine emits: {@code observable(sink -> { for (...)
     * sink.emit(x); })}, one new task per subscriber. An {@code Observable} has no backpressure:
     * {@link ObservableSink#emit} hands the element to the observer at once and never suspends, and a
     * producer that never suspends holds the loop, exactly as in asyncio. Emissions are serialized
     * because they all happen on the loop's turn ({@code emit} refuses other threads).
     *
     * <table class="striped">
     *   <caption>What the subscriber receives</caption>
     *   <thead><tr><th>the coroutine</th><th>the {@code Observer}</th></tr></thead>
     *   <tbody>
     *     <tr><td>calls {@code sink.emit(x)}</td><td>{@code onNext(x)}, on the loop's turn</td></tr>
     *     <tr><td>returns</td><td>{@code onComplete()}</td></tr>
     *     <tr><td>throws {@code e}</td><td>{@code onError(e)}, the same object</td></tr>
     *     <tr><td>is cancelled (its task, not by the subscriber)</td><td>{@code onError(CancelledError)}</td></tr>
     *     <tr><td>anything, after the subscriber disposed</td><td>nothing; the task was cancelled and
     *         {@code emit} throws {@code CancelledError}; a later error other than {@code CancelledError}
     *         goes to {@code RxJavaPlugins.onError}</td></tr>
     *   </tbody>
     * </table>
     *
     * @param producer the coroutine, run once per subscription
     * @param <T> the element type
     * @return the cold observable
     */
    public static <T> Observable<T> observable(ObservableProducer<T> producer) {
        return observable(null, producer);
    }

    /**
     * {@link #observable(ObservableProducer)} on {@code loop}.
     *
     * @param loop the loop to run on, or {@code null} to choose per subscription
     * @param producer the coroutine, run once per subscription
     * @param <T> the element type
     * @return the cold observable
     */
    public static <T> Observable<T> observable(EventLoop loop, ObservableProducer<T> producer) {
        Objects.requireNonNull(producer, "producer");
        return RxJavaPlugins.onAssembly(new CoroutineObservable<>(loop, producer));
    }

    /**
     * A cold {@link Flowable} whose elements a coroutine emits with backpressure:
     * {@code flowable(sink -> { for (...) sink.emit(x); })}, one new task per subscriber.
     * {@link FlowSink#emit} suspends the coroutine while the subscriber has no outstanding demand, so
     * nothing is buffered past what it requested; it must be called by the producer coroutine itself.
     * Built on the shared {@link dev.asyncio.flow.CoroutinePublisher} machinery; passes the Reactive
     * Streams TCK.
     *
     * <table class="striped">
     *   <caption>What the subscriber receives</caption>
     *   <thead><tr><th>the coroutine</th><th>the {@code Subscriber}</th></tr></thead>
     *   <tbody>
     *     <tr><td>calls {@code sink.emit(x)} with demand outstanding</td><td>{@code onNext(x)}, on the loop's turn</td></tr>
     *     <tr><td>calls {@code sink.emit(x)} with no demand</td><td>nothing yet: the coroutine is suspended
     *         until {@code request(n)}</td></tr>
     *     <tr><td>returns</td><td>{@code onComplete()}</td></tr>
     *     <tr><td>throws {@code e}</td><td>{@code onError(e)}, the same object</td></tr>
     *     <tr><td>is cancelled (its task, not by the subscriber)</td><td>{@code onError(CancelledError)}</td></tr>
     *     <tr><td>anything, after the subscriber cancelled</td><td>nothing; the task was cancelled and
     *         {@code emit} throws {@code CancelledError}; a later error other than {@code CancelledError}
     *         goes to {@code RxJavaPlugins.onError}</td></tr>
     *     <tr><td>(the subscriber calls {@code request(n <= 0)})</td><td>{@code onError(IllegalArgumentException)}
     *         and the task is cancelled (rule 3.9)</td></tr>
     *   </tbody>
     * </table>
     *
     * <p>{@code onSubscribe} runs on the subscribing thread (on the loop's turn for a
     * {@code TestScheduler} loop); requests and cancels from other threads reach the loop with one
     * threadsafe call each, and take effect at once on the loop's turn (e.g. from inside {@code onNext}).
     *
     * @param producer the coroutine, run once per subscription
     * @param <T> the element type
     * @return the cold flowable
     */
    public static <T> Flowable<T> flowable(ProducerCoroutine<T> producer) {
        return flowable(null, producer);
    }

    /**
     * {@link #flowable(ProducerCoroutine)} on {@code loop}.
     *
     * @param loop the loop to run on, or {@code null} to choose per subscription
     * @param producer the coroutine, run once per subscription
     * @param <T> the element type
     * @return the cold flowable
     */
    public static <T> Flowable<T> flowable(EventLoop loop, ProducerCoroutine<T> producer) {
        Objects.requireNonNull(producer, "producer");
        return RxJavaPlugins.onAssembly(new CoroutineFlowable<>(loop, producer));
    }

    /**
     * The shared loop on which builders run when subscribed from a thread that runs no loop (and no
     * {@code TestScheduler} is installed as the computation scheduler): started on first use on the
     * daemon thread {@code asyncio-bridge-default-loop}, never closed, and shared with the Reactor
     * bridge. Any thread.
     *
     * @return the default loop, running
     */
    public static EventLoop defaultLoop() {
        return DefaultBridgeLoop.get();
    }

    // ------------------------------------------------------------------ awaiting

    /**
     * Suspends the calling coroutine until {@code source} succeeds, and returns its value.
     *
     * @param source the single to subscribe to (now, from the calling coroutine's thread)
     * @param <T> the value type
     * @return the value
     * @throws CancelledError if the awaiting task is cancelled; the subscription is then disposed
     * @throws IllegalStateException if not called from a coroutine
     * @throws RuntimeException the single's error, rethrown as the same object (checked ones too, undeclared)
     */
    public static <T> T await(SingleSource<T> source) {
        return RxAwait.await(source);
    }

    /**
     * Suspends the calling coroutine until {@code source} succeeds or completes empty.
     *
     * @param source the maybe to subscribe to
     * @param <T> the value type
     * @return the value, or {@code null} if the maybe completed empty
     * @throws CancelledError if the awaiting task is cancelled; the subscription is then disposed
     * @throws IllegalStateException if not called from a coroutine
     * @throws RuntimeException the maybe's error, rethrown as the same object (checked ones too, undeclared)
     */
    public static <T> T await(MaybeSource<T> source) {
        return RxAwait.await(source);
    }

    /**
     * Suspends the calling coroutine until {@code source} completes.
     *
     * @param source the completable to subscribe to
     * @throws CancelledError if the awaiting task is cancelled; the subscription is then disposed
     * @throws IllegalStateException if not called from a coroutine
     * @throws RuntimeException the completable's error, rethrown as the same object
     */
    public static void await(CompletableSource source) {
        RxAwait.await(source);
    }

    /**
     * Suspends the calling coroutine until {@code source} emits its first element, then disposes the
     * subscription and returns the element.
     *
     * @param source the observable to subscribe to
     * @param <T> the element type
     * @return the first element
     * @throws NoSuchElementException if the observable completes without an element
     * @throws CancelledError if the awaiting task is cancelled; the subscription is then disposed
     * @throws IllegalStateException if not called from a coroutine
     * @throws RuntimeException the observable's error, rethrown as the same object
     */
    public static <T> T awaitFirst(ObservableSource<T> source) {
        return ObservableAwait.await(source, ObservableAwait.Mode.FIRST);
    }

    /**
     * Suspends the calling coroutine until {@code source} completes, and returns its last element. The
     * elements are looked at on the thread that emits them; only the outcome crosses to the loop.
     *
     * @param source the observable to subscribe to
     * @param <T> the element type
     * @return the last element
     * @throws NoSuchElementException if the observable completes without an element
     * @throws CancelledError if the awaiting task is cancelled; the subscription is then disposed
     * @throws IllegalStateException if not called from a coroutine
     * @throws RuntimeException the observable's error, rethrown as the same object
     */
    public static <T> T awaitLast(ObservableSource<T> source) {
        return ObservableAwait.await(source, ObservableAwait.Mode.LAST);
    }

    /**
     * Suspends the calling coroutine until {@code source} completes, and returns its only element.
     *
     * @param source the observable to subscribe to
     * @param <T> the element type
     * @return the only element
     * @throws NoSuchElementException if the observable completes without an element
     * @throws IllegalArgumentException if it emits a second element (the subscription is then disposed)
     * @throws CancelledError if the awaiting task is cancelled; the subscription is then disposed
     * @throws IllegalStateException if not called from a coroutine
     * @throws RuntimeException the observable's error, rethrown as the same object
     */
    public static <T> T awaitSingle(ObservableSource<T> source) {
        return ObservableAwait.await(source, ObservableAwait.Mode.SINGLE);
    }

    /**
     * Suspends the calling coroutine until {@code publisher} emits its first element (it requests one),
     * then cancels the subscription and returns the element.
     *
     * @param publisher the publisher, e.g. a {@code Flowable}
     * @param <T> the element type
     * @return the first element
     * @throws NoSuchElementException if the publisher completes without an element
     * @throws CancelledError if the awaiting task is cancelled; the subscription is then cancelled
     * @throws IllegalStateException if not called from a coroutine
     * @throws RuntimeException the publisher's error, rethrown as the same object
     */
    public static <T> T awaitFirst(Publisher<T> publisher) {
        return PublisherAwait.await(publisher, PublisherAwaiter.Mode.FIRST, "awaitFirst");
    }

    /**
     * Suspends the calling coroutine until {@code publisher} completes (it requests everything), and
     * returns its last element.
     *
     * @param publisher the publisher
     * @param <T> the element type
     * @return the last element
     * @throws NoSuchElementException if the publisher completes without an element
     * @throws CancelledError if the awaiting task is cancelled; the subscription is then cancelled
     * @throws IllegalStateException if not called from a coroutine
     * @throws RuntimeException the publisher's error, rethrown as the same object
     */
    public static <T> T awaitLast(Publisher<T> publisher) {
        return PublisherAwait.await(publisher, PublisherAwaiter.Mode.LAST, "awaitLast");
    }

    /**
     * Suspends the calling coroutine until {@code publisher} completes, and returns its only element
     * (it requests two, to see a second one).
     *
     * @param publisher the publisher
     * @param <T> the element type
     * @return the only element
     * @throws NoSuchElementException if the publisher completes without an element
     * @throws IllegalArgumentException if it emits a second element (the subscription is then cancelled)
     * @throws CancelledError if the awaiting task is cancelled; the subscription is then cancelled
     * @throws IllegalStateException if not called from a coroutine
     * @throws RuntimeException the publisher's error, rethrown as the same object
     */
    public static <T> T awaitSingle(Publisher<T> publisher) {
        return PublisherAwait.await(publisher, PublisherAwaiter.Mode.SINGLE, "awaitSingle");
    }

    /**
     * A for-each over {@code publisher} inside the calling coroutine, with
     * {@link PublisherIterator#DEFAULT_PREFETCH} elements of bounded prefetch:
     * <pre>{@code
     * try (PublisherIterator<Row> rows = iterate(flowable)) {
     *     for (Row row : rows) { ... }    // hasNext() suspends while nothing is buffered
     * }
     * }</pre>
     * Leaving early through {@code close()} (try-with-resources) cancels the subscription; so does
     * cancelling the iterating task while it waits.
     *
     * @param publisher the publisher, e.g. a {@code Flowable}; subscribed now
     * @param <T> the element type
     * @return the single-use iterable
     * @throws IllegalStateException if not called from a coroutine
     */
    public static <T> PublisherIterator<T> iterate(Publisher<T> publisher) {
        return PublisherAwait.iterate(publisher, PublisherIterator.DEFAULT_PREFETCH);
    }

    /**
     * {@link #iterate(Publisher)} with a given prefetch: at most {@code prefetch} elements are requested
     * ahead and buffered.
     *
     * @param publisher the publisher; subscribed now
     * @param prefetch how many elements to request ahead, at least 1
     * @param <T> the element type
     * @return the single-use iterable
     * @throws IllegalArgumentException if {@code prefetch < 1}
     * @throws IllegalStateException if not called from a coroutine
     */
    public static <T> PublisherIterator<T> iterate(Publisher<T> publisher, int prefetch) {
        return PublisherAwait.iterate(publisher, prefetch);
    }

    // ------------------------------------------------------------------ conversions

    /**
     * {@code future} as a {@link Single}: each subscriber receives its result when it is done (at once
     * if it already is), on the future's loop's turn. The future is hot and may have other awaiters:
     * disposing only stops listening, it does not cancel the future.
     *
     * <table class="striped">
     *   <caption>What the subscriber receives</caption>
     *   <thead><tr><th>the future</th><th>the {@code SingleObserver}</th></tr></thead>
     *   <tbody>
     *     <tr><td>has a result</td><td>{@code onSuccess(result)}</td></tr>
     *     <tr><td>has the result {@code null}</td><td>{@code onError(NullPointerException)} (use {@link #asMaybe})</td></tr>
     *     <tr><td>has an exception</td><td>{@code onError(exception)}, the same object</td></tr>
     *     <tr><td>was cancelled</td><td>{@code onError(CancelledError)}</td></tr>
     *   </tbody>
     * </table>
     *
     * @param future a future or task of any loop
     * @param <T> the result type
     * @return a single of its outcome; subscribing to it when the loop is closed fails with
     *     {@link IllegalStateException}
     */
    public static <T> Single<T> asSingle(Future<T> future) {
        return FutureSources.asSingle(future);
    }

    /**
     * {@code future} as a {@link Maybe}: as {@link #asSingle}, but a {@code null} result completes empty.
     *
     * @param future a future or task of any loop
     * @param <T> the result type
     * @return a maybe of its outcome
     */
    public static <T> Maybe<T> asMaybe(Future<T> future) {
        return FutureSources.asMaybe(future);
    }

    /**
     * {@code future} as a {@link Completable}: completes when the future has a result (whatever it is),
     * fails with its exception or {@link CancelledError}.
     *
     * @param future a future or task of any loop
     * @return a completable of its outcome
     */
    public static Completable asCompletable(Future<?> future) {
        return FutureSources.asCompletable(future);
    }

    /**
     * Subscribes to {@code source} now and returns a future of the running loop with its outcome (value,
     * or the same error object). Cancelling the future disposes the subscription. Call it on a loop's
     * turn, from a coroutine or a callback: unlike {@link #await(SingleSource)} it does not suspend.
     *
     * @param source the single
     * @param <T> the value type
     * @return the future
     * @throws IllegalStateException if the calling thread holds no loop's turn
     */
    public static <T> Future<T> asFuture(SingleSource<T> source) {
        return RxAwait.asFuture(source);
    }

    /**
     * As {@link #asFuture(SingleSource)}; an empty maybe gives the result {@code null}.
     *
     * @param source the maybe
     * @param <T> the value type
     * @return the future
     * @throws IllegalStateException if the calling thread holds no loop's turn
     */
    public static <T> Future<T> asFuture(MaybeSource<T> source) {
        return RxAwait.asFuture(source);
    }

    /**
     * As {@link #asFuture(SingleSource)}; completion gives the result {@code null}.
     *
     * @param source the completable
     * @return the future
     * @throws IllegalStateException if the calling thread holds no loop's turn
     */
    public static Future<Void> asFuture(CompletableSource source) {
        return RxAwait.asFuture(source);
    }

    // ------------------------------------------------------------------ scheduler

    /**
     * {@code loop} as an RxJava {@link Scheduler}, for {@code observeOn(asScheduler(loop))} and
     * {@code subscribeOn(asScheduler(loop))}: the work runs as callbacks on the loop's turn (so it may
     * touch the loop's state without locks, and must not block). Delayed work uses the loop's timers,
     * and {@code now()} reads the loop's clock, so periodic work follows a virtual clock too. A worker
     * runs its immediate tasks in submission order, one burst per loop callback; disposing it drops the
     * tasks not yet started and cancels its timers. Work scheduled on a closed loop is dropped and the
     * {@link IllegalStateException} goes to {@code RxJavaPlugins.onError}; an exception thrown by the
     * work goes there too, as on RxJava's own schedulers. The scheduler does not own the loop:
     * {@code shutdown()} leaves it running.
     *
     * @param loop the loop
     * @return a scheduler on it (a new, stateless view each call)
     */
    public static Scheduler asScheduler(EventLoop loop) {
        return new LoopScheduler(loop);
    }
}
