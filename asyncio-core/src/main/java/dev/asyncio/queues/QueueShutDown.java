package dev.asyncio.queues;

/**
 * asyncio 3.13's {@code QueueShutDown}: a put on a queue that was {@linkplain Queue#shutdown(boolean)
 * shut down}, or a get on one that is shut down and empty (or shut down immediately). Blocked
 * producers and consumers are woken with it when the queue is shut down.
 */
public class QueueShutDown extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was attempted
     */
    public QueueShutDown(String message) {
        super(message);
    }
}
