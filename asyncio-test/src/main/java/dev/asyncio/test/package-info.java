/**
 * asyncio for Java, testing (the counterpart of Python's {@code IsolatedAsyncioTestCase}, with virtual
 * time): {@link dev.asyncio.test.AsyncioTest @AsyncioTest} runs a JUnit 5 test method as a coroutine on a
 * fresh {@link dev.asyncio.test.TestLoop} whose clock is virtual ({@link dev.asyncio.test.TimeMode}:
 * auto-jump or manual, {@code advanceTimeBy}, {@code runCurrent}, {@code advanceUntilIdle}) and fails the
 * test on leaked tasks, lost exceptions and stuck loops (with a task dump);
 * {@link dev.asyncio.test.TestLoops#runTest} does the same without the annotation. When the Reactor or
 * RxJava bridge (asyncio-reactor, asyncio-rxjava) is on the path, that library's schedulers run on the
 * test loop's clock too.
 *
 * <p><b>Testing in the fast carrier mode.</b> Tests run loops in the core's portable mode unless the test JVM
 * opens {@code java.lang} (README, "Supported JDKs"); to run them as the fast mode runs in production, give
 * Surefire the flag, one line in the project's {@code pom.xml}:
 * <pre>{@code
 * <plugin>
 *   <artifactId>maven-surefire-plugin</artifactId>
 *   <configuration><argLine>--add-opens java.base/java.lang=ALL-UNNAMED</argLine></configuration>
 * </plugin>
 * }</pre>
 * (Gradle: {@code test { jvmArgs '--add-opens', 'java.base/java.lang=ALL-UNNAMED' }}.) This project's own
 * build runs every module's tests both ways this very way (its execution {@code fast-carrier-mode}), and
 * {@code loop.getCarrierMode()} tells a test which mode it got.
 */
package dev.asyncio.test;
