package dev.asyncio.sync;

/** What a {@link HeldPermit} gives back on close: the primitive's {@code release()}. */
interface Releasable {
    void release();
}
