/**
 * The loop machinery under the public API: the per-loop {@link dev.asyncio.engine.LoopEngine}, how an idle
 * loop waits ({@link dev.asyncio.engine.Poller}), time arithmetic, thread-local propagation, the binding of
 * primitives to a loop, and the loop's parts that need only the JDK and a callback (its off-turn threads,
 * the registry of running loops, its unretrieved exceptions, the list of its pending tasks). It imports only
 * the JDK and names no API type (a loop is an {@code Object} here; {@code dev.asyncio} implements the engine
 * on its loop). Not exported, not even to the project's own modules: the bridges reach what they need
 * through {@code dev.asyncio.internal.LoopInternals}. See docs/architecture.md, "Packages".
 */
package dev.asyncio.engine;
