/**
 * asyncio's synchronization primitives ({@code asyncio.Lock}, {@code Event}, {@code Condition},
 * {@code Semaphore}, {@code BoundedSemaphore}, {@code Barrier}) with asyncio 3.13 semantics: FIFO
 * fairness, no barging, and cancellation that never loses a wake-up or a permit.
 *
 * <p>Like asyncio's, these primitives are <b>not thread-safe</b>: they coordinate the coroutines of
 * one event loop. They are created with {@code new} anywhere, and are bound to the running loop the
 * first time one of their methods has to wait (asyncio's {@code _LoopBoundMixin}); from then on they
 * refuse to be used from another loop, or from a thread that does not hold that loop's turn, with an
 * {@link java.lang.IllegalStateException} that says so. From another thread, use
 * {@code loop.callSoonThreadsafe(...)}.
 *
 * <p><b>Names.</b> A method that suspends in asyncio ({@code await lock.acquire()}) suspends the calling
 * coroutine here and must be called from a coroutine; {@code Event.wait()}, {@code Condition.wait()},
 * {@code Barrier.wait()}, {@code notify()} and {@code notify_all()} are {@code await()},
 * {@code signal(n)} and {@code signalAll()} because {@code wait} and {@code notify} are final methods of
 * {@code Object}. asyncio's {@code RuntimeError} is {@link java.lang.IllegalStateException}, its
 * {@code ValueError} for a bad argument is {@link java.lang.IllegalArgumentException}.
 *
 * <p><b>{@code async with}.</b> {@code acquire()} returns a {@link dev.asyncio.sync.Permit}, so
 * {@code async with lock:} is a try-with-resources statement:
 * <pre>{@code
 * try (var held = lock.acquire()) {
 *     ... // the lock is held here
 * }   // released here, also on an exception or a cancellation
 * }</pre>
 */
package dev.asyncio.sync;
