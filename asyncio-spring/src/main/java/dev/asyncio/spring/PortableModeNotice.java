package dev.asyncio.spring;

import dev.asyncio.CarrierMode;

/**
 * The one INFO line an application logs at start-up when its pool's loops run in the core's
 * {@code PORTABLE} mode only because {@code java.lang} is not opened, on a JDK where the faster
 * {@code LOOP_CARRIER} mode was tested: it says the one line that turns the fast mode on where the
 * application is launched (issue 24). Silent in {@code LOOP_CARRIER} mode, on other JDKs (the core's own
 * notice covers those), and when {@code -Ddev.asyncio.carrier=portable} chose the mode.
 */
final class PortableModeNotice {
    static final System.Logger LOG = System.getLogger("dev.asyncio.spring.AsyncioLoops");

    private PortableModeNotice() {
    }

    /**
     * @param mode the pool's loops' mode
     * @param loops how many loops the pool has
     * @param feature the JDK's feature release
     * @param unavailableReason {@link CarrierMode#loopCarrierUnavailableReason()}, or {@code null}
     * @param chosen the value of {@code -Ddev.asyncio.carrier}, or {@code null}
     * @return the line to log, or {@code null} for none
     */
    static String of(CarrierMode mode, int loops, int feature, String unavailableReason, String chosen) {
        if (mode != CarrierMode.PORTABLE || unavailableReason == null || "portable".equalsIgnoreCase(chosen)
                || !CarrierMode.testedJdkReleases().contains(feature) || !unavailableReason.contains("not open")) {
            return null;
        }
        return "asyncio: the " + loops + " event loop" + (loops == 1 ? "" : "s") + " of AsyncioLoops run in PORTABLE mode, "
                + "because java.lang is not open to asyncio. On JDK " + feature + " the faster LOOP_CARRIER mode is one "
                + "line away: the manifest attribute 'Add-Opens: java.base/java.lang' in the executable jar (java -jar), "
                + "or --add-opens java.base/java.lang=ALL-UNNAMED in JDK_JAVA_OPTIONS (docs/spring.md, production notes). "
                + "-Ddev.asyncio.carrier=portable keeps PORTABLE without this line.";
    }

    /** Logs the line for {@code pool}, if there is one; on the thread creating the application context. */
    static void log(AsyncioLoops pool) {
        String line = of(pool.loops().get(0).getCarrierMode(), pool.loops().size(), Runtime.version().feature(),
                CarrierMode.loopCarrierUnavailableReason().orElse(null), System.getProperty("dev.asyncio.carrier"));
        if (line != null) {
            LOG.log(System.Logger.Level.INFO, line);
        }
    }
}
