package dev.asyncio.transports;

import dev.asyncio.EventLoop;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The receive buffer shared by all transports of one loop (asyncio reads up to {@code max_size},
 * 256 KiB, per {@code recv}). Only the turn-holder reads, and each read is copied out before the
 * protocol runs, so one direct buffer per loop is enough; 1,000 connections cost no 1,000 buffers.
 */
final class ReadBuffer {
    /** asyncio's {@code max_size} for one {@code recv}. */
    static final int MAX_SIZE = 256 * 1024;
    private static final Map<EventLoop, ByteBuffer> BUFFERS = new WeakHashMap<>();

    private ReadBuffer() {
    }

    static synchronized ByteBuffer forLoop(EventLoop loop) {
        return BUFFERS.computeIfAbsent(loop, l -> ByteBuffer.allocateDirect(MAX_SIZE));
    }
}
