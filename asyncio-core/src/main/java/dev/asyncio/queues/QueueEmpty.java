package dev.asyncio.queues;

import java.util.NoSuchElementException;

/**
 * asyncio's {@code QueueEmpty}: {@link Queue#getNowait()} found no item. It is a
 * {@link NoSuchElementException}, as {@link java.util.Queue#remove()} throws on an empty queue.
 */
public class QueueEmpty extends NoSuchElementException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was attempted
     */
    public QueueEmpty(String message) {
        super(message);
    }
}
