package dev.asyncio.transports;

/** asyncio's {@code _set_write_buffer_limits} defaults and checks, shared by all transports. */
final class WaterMarks {
    private WaterMarks() {
    }

    /** @return {high, low} */
    static int[] resolve(int high, int low) {
        if (high < 0) {
            high = low < 0 ? Transport.DEFAULT_HIGH_WATER : 4 * low;
        }
        if (low < 0) {
            low = high / 4;
        }
        if (!(high >= low && low >= 0)) {
            throw new IllegalArgumentException("high (" + high + ") must be >= low (" + low + ") must be >= 0");
        }
        return new int[] {high, low};
    }
}
