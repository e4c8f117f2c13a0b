/**
 * asyncio for Java, testing: the {@link dev.asyncio.test.AsyncioTest @AsyncioTest} JUnit 5 extension,
 * {@link dev.asyncio.test.TestLoop} (an event loop on a virtual clock) and
 * {@link dev.asyncio.test.TestLoops#runTest runTest}. The Reactor and RxJava bridges are optional: when
 * present (asyncio-reactor, asyncio-rxjava), their libraries' schedulers run on the test loop's clock;
 * they are found as services.
 */
module dev.asyncio.test {
    requires transitive dev.asyncio;
    requires transitive org.junit.jupiter.api;
    requires org.junit.platform.commons;
    // The bridges' part of the one clock, provided by asyncio-reactor and asyncio-rxjava when present.
    uses dev.asyncio.internal.OneClockBridge;

    exports dev.asyncio.test;
}
