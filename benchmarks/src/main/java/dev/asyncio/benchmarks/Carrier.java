package dev.asyncio.benchmarks;

import dev.asyncio.CarrierMode;
import java.util.List;

/**
 * The two ways the core can run its tasks (docs/design.md §5, {@link CarrierMode}), as the JVM flags and the
 * {@code dev.asyncio.carrier} system property that select each one for a measured JVM.
 *
 * <p>{@link #PORTABLE} is measured in a JVM without {@code --add-opens}, exactly as a user gets it with
 * no flags; {@link #LOOP} in a JVM with the flag, and the property set to {@code loop} so that a JVM
 * where the fast mode is unavailable fails loudly instead of silently measuring the portable one.
 */
enum Carrier {
    /** The JDK's default virtual-thread scheduler; no flag. */
    PORTABLE("portable", "portable", List.of()),
    /** The loop is the only carrier of its virtual threads; needs java.lang opened. */
    LOOP("loop", "loop-carrier", List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED"));

    /** The value of {@code -Ddev.asyncio.carrier} that forces this mode. */
    final String property;
    /** The mode's name in the table's targets and notes: {@code portable}, {@code loop-carrier}. */
    final String mode;
    /** Column heading in the results table. */
    final String label;
    private final List<String> flags;

    Carrier(String property, String mode, List<String> flags) {
        this.property = property;
        this.mode = mode;
        this.label = "Java " + mode;
        this.flags = flags;
    }

    /** @return the JVM arguments of a forked JVM measured in this mode */
    List<String> jvmArgs() {
        return concat(flags, List.of("-Ddev.asyncio.carrier=" + property));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        var all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }
}
