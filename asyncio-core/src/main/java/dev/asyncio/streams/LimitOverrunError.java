package dev.asyncio.streams;

import java.io.IOException;

/**
 * asyncio's {@code LimitOverrunError}: a separator was not found within the stream's limit (or was found
 * past it). {@link #consumed()} says how many bytes to consume to get past the overrun.
 *
 * <p>{@link StreamReader#readuntil} keeps the buffer intact when it throws this, so the caller may read
 * it with {@code read} or {@code readexactly}; {@link StreamReader#readline} first drops the over-long
 * data (up to and including the separator when it was found, else the whole buffer), exactly as
 * asyncio's {@code readline} does, and then throws this (where asyncio raises {@code ValueError} with the
 * same message; a Java {@code readline()} has no argument an {@code IllegalArgumentException} could
 * blame). It is an {@link IOException} so that one {@code catch} handles every stream failure.
 */
public class LimitOverrunError extends IOException {
    private static final long serialVersionUID = 1L;
    private final int consumed;

    /**
     * @param message what overran
     * @param consumed how many bytes to consume to get past the overrun
     */
    public LimitOverrunError(String message, int consumed) {
        super(message);
        this.consumed = consumed;
    }

    /** @return how many bytes to consume to get past the overrun */
    public int consumed() {
        return consumed;
    }
}
