/**
 * Coroutines and {@link java.util.concurrent.Flow} (Reactive Streams on the JDK): a cold
 * {@link dev.asyncio.flow.CoroutinePublisher} whose elements come from a coroutine with true
 * backpressure, and subscribers that let a coroutine await a publisher
 * ({@link dev.asyncio.flow.PublisherAwaiter}) or iterate over it
 * ({@link dev.asyncio.flow.PublisherIterator}); {@link dev.asyncio.flow.FlowCoroutines} is the facade.
 *
 * <p><b>Signals and threads.</b> Whatever a publisher's threads, the state of these classes lives on
 * one loop's turn: a signal (or request, or cancel) that arrives on the loop's own turn is handled at
 * once, one from another thread goes through {@link dev.asyncio.EventLoop#callSoonThreadsafe}, batched
 * so that a burst of elements wakes the loop once. There is no hop through another scheduler.
 *
 * <p><b>Virtual time.</b> A threadsafe call keeps an auto-jumping virtual clock from jumping while it
 * is queued. Work still running on another thread that will signal later is not known to the loop:
 * a publisher on a real-time scheduler awaited under an auto-jumping clock may see the clock move
 * first (the bridges tell the loop such work is in flight, so that virtual time waits for it).
 *
 * <p>The Reactor and RxJava bridges build on these classes.
 */
package dev.asyncio.flow;
