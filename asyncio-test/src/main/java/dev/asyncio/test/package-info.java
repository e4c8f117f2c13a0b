/**
 * asyncio for Java, testing (the counterpart of Python's {@code IsolatedAsyncioTestCase}, with virtual
 * time): {@link dev.asyncio.test.AsyncioTest @AsyncioTest} runs a JUnit 5 test method as a coroutine on a
 * fresh {@link dev.asyncio.test.TestLoop} whose clock is virtual ({@link dev.asyncio.test.TimeMode}:
 * auto-jump or manual, {@code advanceTimeBy}, {@code runCurrent}, {@code advanceUntilIdle}) and fails the
 * test on leaked tasks, lost exceptions and stuck loops (with a task dump);
 * {@link dev.asyncio.test.TestLoops#runTest} does the same without the annotation. When the Reactor or
 * RxJava bridge (asyncio-reactor, asyncio-rxjava) is on the path, that library's schedulers run on the
 * test loop's clock too.
 */
package dev.asyncio.test;
