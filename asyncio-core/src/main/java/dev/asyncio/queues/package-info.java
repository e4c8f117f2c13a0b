/**
 * asyncio's queues ({@code asyncio.Queue}, {@code PriorityQueue}, {@code LifoQueue}) with asyncio 3.13
 * semantics, including {@code shutdown(immediate)}: producer/consumer queues for the coroutines of one
 * event loop.
 *
 * <p>{@code await queue.put(item)} and {@code await queue.get()} are {@code queue.put(item)} and
 * {@code queue.get()}: they suspend the calling coroutine while the queue is full or empty. The other
 * methods never suspend. asyncio's {@code ValueError} from {@code task_done()} is an
 * {@link java.lang.IllegalStateException} here; {@link dev.asyncio.queues.QueueEmpty},
 * {@link dev.asyncio.queues.QueueFull} and {@link dev.asyncio.queues.QueueShutDown} keep their names.
 *
 * <p>Like asyncio's, these queues are <b>not thread-safe</b>. A queue may be filled from any thread
 * before it is used by a loop; it is bound to the running loop the first time a coroutine has to wait
 * on it, and from then on refuses calls from another loop or thread with an
 * {@link java.lang.IllegalStateException} that says so. From another thread, use
 * {@code loop.callSoonThreadsafe(() -> queue.putNowait(item))}.
 */
package dev.asyncio.queues;
