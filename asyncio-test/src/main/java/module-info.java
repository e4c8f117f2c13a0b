/**
 * asyncio for Java, testing: the {@link dev.asyncio.test.AsyncioTest @AsyncioTest} JUnit 5 extension,
 * {@link dev.asyncio.test.TestLoop} (an event loop on a virtual clock) and
 * {@link dev.asyncio.test.TestLoops#runTest runTest}. Reactor and RxJava are optional: when present,
 * their schedulers run on the test loop's clock.
 */
module dev.asyncio.test {
    requires transitive dev.asyncio;
    requires transitive org.junit.jupiter.api;
    requires org.junit.platform.commons;
    requires static reactor.core;
    requires static org.reactivestreams;
    requires static io.reactivex.rxjava3;

    exports dev.asyncio.test;
}
