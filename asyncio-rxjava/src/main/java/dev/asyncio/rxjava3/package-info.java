/**
 * asyncio for Java and RxJava 3 (after kotlinx-coroutines-rx3): {@link dev.asyncio.rxjava3.RxCoroutines}
 * turns coroutines into cold {@code Single}, {@code Maybe}, {@code Completable}, {@code Observable} and
 * {@code Flowable} sources, awaits RxJava sources inside coroutines ({@code await}, {@code awaitFirst},
 * {@code awaitLast}, {@code awaitSingle}, {@code iterate}), converts futures and tasks both ways and offers
 * an event loop as an RxJava {@code Scheduler}; an RxJava {@code TestScheduler} can drive coroutine
 * sleeps ({@link dev.asyncio.rxjava3.SchedulerClock}).
 *
 * <p>On a loop's turn RxJava's blocking operators ({@code blockingGet()}, {@code blockingFirst()}, …)
 * are refused with an {@link java.lang.IllegalStateException} that names the suspending call to use
 * instead; see {@link dev.asyncio.rxjava3.RxCoroutines#installBlockingGuard()} for the global RxJava
 * hooks this sets and how to opt out.
 */
package dev.asyncio.rxjava3;
