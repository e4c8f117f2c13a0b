package dev.asyncio.benchmarks;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RawParkedChainTest {
    @Test
    void everyThreadParksAndIsWokenInTurnAndTheTurnComesBack() {
        // A lost hand-off (a thread that never wakes, or a turn never given back) hangs here.
        for (int count : new int[] {1, 2, 5_000}) {
            double seconds = RawParkedChain.round(count);
            assertTrue(seconds > 0 && Double.isFinite(seconds), count + " threads: " + seconds + " s");
        }
    }

    @Test
    void misuseIsRefusedWithWhatToDo() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> RawParkedChain.round(0));
        assertTrue(none.getMessage().contains("at least one thread"), none.getMessage());
        IllegalArgumentException option = assertThrows(IllegalArgumentException.class,
                () -> RawParkedChain.main(new String[] {"--laps", "5"}));
        assertTrue(option.getMessage().contains("usage: RawParkedChain [--rounds R] [--threads N]"), option.getMessage());
    }
}
