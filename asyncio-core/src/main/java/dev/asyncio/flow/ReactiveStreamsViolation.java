package dev.asyncio.flow;

/**
 * A publisher broke the Reactive Streams specification while a coroutine awaited or iterated it: it
 * signalled {@code onNext(null)} or {@code onError(null)} (rule 2.13), more elements than were requested
 * (rule 1.1), a signal after {@code onComplete}/{@code onError} (rule 1.7), or a second
 * {@code onSubscribe} (rule 2.5).
 *
 * <p>What the coroutine sees: if it was still waiting, the await ({@link PublisherAwaiter#await()}, the
 * bridges' {@code await}/{@code awaitFirst}/…) or the iteration ({@link PublisherIterator}) fails with
 * this exception, and the subscription is cancelled (rule 2.13: the subscriber must consider it
 * cancelled). Either way, each subscriber reports its first violation to the loop's exception handler
 * (late violations, after the outcome was decided, are reported there only). A {@code null} signal also
 * throws a {@link NullPointerException} back to the publisher, as rule 2.13 requires.
 */
public final class ReactiveStreamsViolation extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final String rule;

    ReactiveStreamsViolation(String rule, String message) {
        super(message + " (Reactive Streams rule " + rule + ")");
        this.rule = rule;
    }

    /**
     * @return the number of the broken rule of the Reactive Streams specification, e.g. {@code "2.13"}
     */
    public String rule() {
        return rule;
    }
}
