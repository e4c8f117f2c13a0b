package dev.asyncio.transports;

/** asyncio's {@code _set_write_buffer_limits} defaults and checks, shared by all transports. */
final class WaterMarks {
    private WaterMarks() {
    }

    /**
     * asyncio's check, without its {@code None} defaults: a negative mark is refused, not taken for "default".
     *
     * @return {high, low}
     */
    static int[] resolve(int high, int low) {
        if (!(high >= low && low >= 0)) {
            throw new IllegalArgumentException("high (" + high + ") must be >= low (" + low + ") must be >= 0; "
                    + "for asyncio's defaults call setWriteBufferLimits(high) (low = high / 4) or "
                    + "setWriteBufferLimits(Transport.DEFAULT_HIGH_WATER)");
        }
        return new int[] {high, low};
    }
}
