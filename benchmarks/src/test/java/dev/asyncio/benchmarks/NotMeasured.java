package dev.asyncio.benchmarks;

/**
 * The Java side of a row the test builds a table or a quotient from without measuring anything: it fails
 * if asked to measure. Optionally without a figure in one mode by design, as {@code raw_handoff}'s.
 */
final class NotMeasured implements Workload.JavaMeasurement {
    private final Carrier unavailable;
    private final String why;

    private NotMeasured(Carrier unavailable, String why) {
        this.unavailable = unavailable;
        this.why = why;
    }

    /** @return a measurement with a figure in both modes */
    static NotMeasured inBothModes() {
        return new NotMeasured(null, null);
    }

    /** @return a measurement with no figure in {@code carrier}, for the reason {@code why} */
    static NotMeasured without(Carrier carrier, String why) {
        return new NotMeasured(carrier, why);
    }

    @Override
    public double measure(Carrier carrier, Compare.Settings settings) {
        throw new AssertionError("not measured in this test");
    }

    @Override
    public String describe() {
        return "not measured";
    }

    @Override
    public String unavailableIn(Carrier carrier) {
        return carrier == unavailable ? why : null;
    }
}
