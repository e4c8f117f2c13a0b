package dev.asyncio.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs JUnit 5 test methods as coroutines, each on a fresh {@link TestLoop}: an event loop on a virtual
 * clock, so that a test of an hour of sleeps, timeouts and retries takes milliseconds and is
 * deterministic.
 *
 * <pre>{@code
 * @Test
 * @AsyncioTest
 * void retriesThreeTimes(TestLoop testLoop) {
 *     String body = retry(3, Duration.ofMinutes(10), () -> flakyFetch());   // sleeps between tries
 *     assertEquals("ok", body);
 *     assertEquals(Duration.ofMinutes(20), testLoop.currentTime());
 * }
 * }</pre>
 *
 * <p>Put it on a test method (next to {@code @Test}, {@code @ParameterizedTest}, {@code @RepeatedTest};
 * it does not make a method a test by itself) or on a test class, where it applies to every test method
 * of the class and of its {@code @Nested} classes; the annotation closest to the method wins. Each
 * invocation (each parameter set, each repetition) gets its own loop, so tests may run in parallel.
 *
 * <ul>
 *   <li><b>Coroutine.</b> The method runs as a task of the loop, so it may {@code sleep}, await futures
 *       and create tasks directly. {@code @BeforeEach}/{@code @AfterEach} methods run as usual, outside
 *       the loop.</li>
 *   <li><b>{@link TestLoop} parameter.</b> A parameter of type {@link TestLoop} receives the test's
 *       loop (also in {@code @BeforeEach}/{@code @AfterEach} methods, where it is the same loop, not yet
 *       or no longer running): {@code currentTime()}, {@code advanceTimeBy}, {@code advanceTimeTo},
 *       {@code runCurrent()}, {@code advanceUntilIdle()}.</li>
 *   <li><b>Time</b>: {@link TimeMode#AUTO_JUMP} by default (time jumps to the next deadline when
 *       nothing is runnable and nothing the loop knows of is in flight), or {@link TimeMode#MANUAL}
 *       (time moves only when the test says so): {@link #timeMode()}.</li>
 *   <li><b>Real-time timeout</b> ({@link #timeout()}, 60 s): a stuck test fails with a dump of every
 *       task, what it awaits and where its coroutine is.</li>
 *   <li><b>Leaks and lost errors.</b> The test fails if tasks are still pending when it returns (unless
 *       {@link #failOnLeakedTasks()} is off; they are cancelled either way) or if an error reached the
 *       loop's exception handler (an exception nobody retrieved, one thrown by a callback).</li>
 *   <li><b>One clock</b> ({@link #oneClock()}): when the Reactor and/or RxJava bridges (asyncio-reactor,
 *       asyncio-rxjava) are on the class path or module path,
 *       their schedulers ({@code Schedulers.parallel()}, {@code single()}, {@code boundedElastic()};
 *       RxJava's {@code computation()}, {@code io()}, {@code newThread()}, {@code single()}) run on the
 *       test loop and its virtual clock when used from the test's coroutines, so {@code Mono.delay},
 *       {@code Flux.interval}, {@code Observable.timer} and {@code sleep} advance together in deadline
 *       order. The hooks are JVM-wide but route per thread, so parallel tests keep their own clocks;
 *       see {@link TestLoop}. Reactor and RxJava callbacks then run on the loop: never block on their
 *       results there ({@code block()}, {@code blockingGet()}), await them instead. Create the sources
 *       inside the test (RxJava picks its scheduler when a source is assembled), and do not combine it
 *       with {@code StepVerifier.withVirtualTime} or {@code RxJavaPlugins.reset()}, which replace the
 *       same JVM-wide hooks: turn it off there with {@code oneClock = false}.</li>
 *   <li><b>Order fuzzing</b> ({@link #shuffleReadyOrder()}): the callbacks and task steps ready in the
 *       same loop iteration run in a seeded random order, to expose code that depends on an order
 *       asyncio does not promise. A failing test reports the seed; {@link #shuffleSeed()} replays it.</li>
 * </ul>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@ExtendWith(AsyncioTestExtension.class)
public @interface AsyncioTest {
    /** The value of {@link #shuffleSeed()} that asks for a fresh random seed for each run. */
    long RANDOM_SEED = Long.MIN_VALUE;

    /** @return how virtual time moves when the test does not move it; {@link TimeMode#AUTO_JUMP} by default */
    TimeMode timeMode() default TimeMode.AUTO_JUMP;

    /** @return the real-time limit of the test method, in {@link #timeoutUnit()}; 60 by default */
    long timeout() default 60;

    /** @return the unit of {@link #timeout()}; seconds by default */
    TimeUnit timeoutUnit() default TimeUnit.SECONDS;

    /** @return whether the test fails when tasks are still pending at its end; {@code true} by default */
    boolean failOnLeakedTasks() default true;

    /** @return whether Reactor's and RxJava's schedulers, when present, run on the test's clock; {@code true} by default */
    boolean oneClock() default true;

    /** @return whether the callbacks ready in the same iteration run in a shuffled order; {@code false} by default */
    boolean shuffleReadyOrder() default false;

    /** @return the seed of the shuffled order, or {@link #RANDOM_SEED} for a fresh one, reported on failure */
    long shuffleSeed() default RANDOM_SEED;
}
