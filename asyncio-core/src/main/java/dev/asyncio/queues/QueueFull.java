package dev.asyncio.queues;

/**
 * asyncio's {@code QueueFull}: {@link Queue#putNowait(Object)} found the queue at its
 * {@link Queue#maxsize()}. It is an {@link IllegalStateException}, as {@link java.util.Queue#add} throws
 * on a full queue.
 */
public class QueueFull extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was attempted
     */
    public QueueFull(String message) {
        super(message);
    }
}
