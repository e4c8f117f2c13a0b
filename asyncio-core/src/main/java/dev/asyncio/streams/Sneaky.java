package dev.asyncio.streams;

/** Rethrows a stored connection error as the same object, checked or not, as asyncio re-raises it. */
final class Sneaky {
    private Sneaky() {
    }

    @SuppressWarnings("unchecked")
    static <E extends Throwable> E rethrow(Throwable t) throws E {
        throw (E) t;
    }
}
