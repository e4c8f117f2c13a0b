package dev.asyncio.benchmarks;

import java.util.List;
import java.util.Objects;

/**
 * The Java figures of a derived row: per carrier mode, one measured row's figure divided by another's,
 * both from the same run (no measurement of its own). It states a target that is a ratio, e.g. "the
 * portable switch costs at most 1.25× the bare JDK hand-off" or "{@code await(mono)} costs at most twice
 * plain Reactor on the loop", in a run where both figures come from the same machine at the same time.
 * Its unit is {@code ×}.
 *
 * <p>{@link Compare} measures the inputs even when {@code --only} names just the quotient. Pure
 * arithmetic; any thread.
 *
 * @param numerator the row divided
 * @param denominator the row it is divided by; same unit as {@code numerator}
 */
record Quotient(Workload numerator, Workload denominator) implements Workload.JavaFigures {

    Quotient {
        Objects.requireNonNull(numerator, "numerator");
        Objects.requireNonNull(denominator, "denominator");
        for (Workload input : List.of(numerator, denominator)) {
            if (input.java() instanceof Quotient) {
                throw new IllegalArgumentException("a quotient divides measured rows, and " + input.name() + " is a quotient");
            }
        }
        if (!numerator.unit().equals(denominator.unit())) {
            throw new IllegalArgumentException("cannot divide " + numerator.name() + " (" + numerator.unit() + ") by "
                    + denominator.name() + " (" + denominator.unit() + ")");
        }
    }

    /** @return the two rows it is computed from, numerator first */
    List<Workload> inputs() {
        return List.of(numerator, denominator);
    }

    @Override
    public String describe() {
        return numerator.name() + " ÷ " + denominator.name() + " of the same run, per carrier mode (computed, not measured)";
    }

    /** A mode in which an input has no figure by design has no quotient either, for the same reason. */
    @Override
    public String unavailableIn(Carrier carrier) {
        for (Workload input : inputs()) {
            String why = input.java().unavailableIn(carrier);
            if (why != null) {
                return input.name() + " has no " + carrier.mode + " figure (" + why + ")";
            }
        }
        return null;
    }

    /**
     * @param carrier the carrier mode of both figures
     * @param numeratorCell the numerator row's figure in that mode
     * @param denominatorCell the denominator row's figure in that mode
     * @return the quotient, or a cell saying which input has no figure
     */
    Cell of(Carrier carrier, Cell numeratorCell, Cell denominatorCell) {
        String unavailable = unavailableIn(carrier);
        if (unavailable != null) {
            return Cell.missing(unavailable);
        }
        if (!numeratorCell.hasValue()) {
            return Cell.missing(missingInput(numerator, carrier));
        }
        if (!denominatorCell.hasValue()) {
            return Cell.missing(missingInput(denominator, carrier));
        }
        return Cell.of(numeratorCell.value() / denominatorCell.value());
    }

    private static String missingInput(Workload input, Carrier carrier) {
        return "no quotient: " + input.name() + " has no " + carrier.mode + " figure in this run (see its row)";
    }
}
