package dev.asyncio.streams;

import java.io.EOFException;

/**
 * asyncio's {@code IncompleteReadError}: the stream ended before the requested number of bytes or the
 * separator was read. The bytes that did arrive are in {@link #partial()} (and no longer in the
 * stream). An {@link EOFException}, as asyncio's is an {@code EOFError}.
 */
public class IncompleteReadError extends EOFException {
    private static final long serialVersionUID = 1L;
    private final byte[] partial;
    private final Integer expected;

    /**
     * @param partial the bytes read before the end of the stream
     * @param expected how many bytes were expected, or {@code null} if "up to a separator"
     */
    public IncompleteReadError(byte[] partial, Integer expected) {
        super(partial.length + " bytes read on a total of " + (expected == null ? "undefined" : expected) + " expected bytes");
        this.partial = partial.clone();
        this.expected = expected;
    }

    /** @return a copy of the bytes read before the end of the stream */
    public byte[] partial() {
        return partial.clone();
    }

    /** @return how many bytes were expected, or {@code null} for a read up to a separator */
    public Integer expected() {
        return expected;
    }
}
