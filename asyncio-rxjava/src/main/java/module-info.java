/**
 * asyncio for Java and RxJava 3: coroutines as {@code Single}, {@code Maybe}, {@code Completable},
 * {@code Observable} and {@code Flowable}; RxJava sources awaited inside coroutines; an event loop as
 * an RxJava {@code Scheduler}; {@code TestScheduler} virtual time. Entry point:
 * {@link dev.asyncio.rxjava3.RxCoroutines}.
 */
module dev.asyncio.rxjava3 {
    requires transitive dev.asyncio;
    requires transitive io.reactivex.rxjava3;
    requires transitive org.reactivestreams;

    exports dev.asyncio.rxjava3;
    // The test kit's one clock finds this bridge through the ServiceLoader (dev.asyncio.test uses it).
    provides dev.asyncio.internal.OneClockBridge with dev.asyncio.rxjava3.internal.RxOneClockBridge;
}
