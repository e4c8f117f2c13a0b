/**
 * asyncio for Java, the core: Python's asyncio (3.13 semantics) on the JVM, where a coroutine is plain
 * sequential Java code on a virtual thread.
 *
 * <p>{@link dev.asyncio.Asyncio} holds the module functions, meant for {@code import static}:
 * {@code run}, {@code sleep}, {@code createTask}, {@code gather}, {@code waitFor}, {@code timeout},
 * {@code shield}, {@code wait}, {@code asCompleted}, {@code toThread}, {@code currentTask}. The types are
 * asyncio's: {@link dev.asyncio.EventLoop} (one thread at a time holds its <em>turn</em>),
 * {@link dev.asyncio.Future} and {@link dev.asyncio.Task}, {@link dev.asyncio.TaskGroup},
 * {@link dev.asyncio.Timeout}, {@link dev.asyncio.Runner}, {@link dev.asyncio.ContextVar} and
 * {@link dev.asyncio.Context}, the clocks ({@link dev.asyncio.Clock}, {@link dev.asyncio.VirtualClock})
 * and the errors {@link dev.asyncio.CancelledError}, {@link dev.asyncio.TimeoutError},
 * {@link dev.asyncio.InvalidStateError}.
 *
 * <p><b>Debug mode</b> ({@code -Ddev.asyncio.debug=true}, {@code Asyncio.run(main, true)} or
 * {@link dev.asyncio.EventLoop#setDebug(boolean)}) reports a step that holds the loop's turn too long,
 * while it is stuck, with the task's name and stack ({@link dev.asyncio.SlowCallback}).
 *
 * <p>Sub-packages: {@code dev.asyncio.sync} (locks, events, semaphores, barriers),
 * {@code dev.asyncio.queues}, {@code dev.asyncio.streams} (streams and subprocesses),
 * {@code dev.asyncio.transports} (transports and protocols, TLS, UDP), {@code dev.asyncio.flow}
 * ({@link java.util.concurrent.Flow} publishers and subscribers).
 */
package dev.asyncio;
