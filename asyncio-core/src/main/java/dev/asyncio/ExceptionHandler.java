package dev.asyncio;

/**
 * Receives errors that have no one else to go to (asyncio's {@code loop.set_exception_handler}): an
 * exception raised by a callback, a task whose exception was never retrieved, a task still pending when
 * its loop closed.
 *
 * <p>Called on the loop's turn, or on the JVM's cleaner thread for a future collected with an
 * unretrieved exception; an exception it throws is logged and dropped.
 */
@FunctionalInterface
public interface ExceptionHandler {
    /**
     * @param loop the loop reporting
     * @param context what happened
     */
    void handle(EventLoop loop, ExceptionContext context);
}
