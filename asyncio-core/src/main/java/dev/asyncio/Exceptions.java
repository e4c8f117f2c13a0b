package dev.asyncio;

/** Rethrowing a task's exception as the same object, whatever its type. */
final class Exceptions {
    private Exceptions() {
    }

    /**
     * Throws {@code t} unchanged, even a checked exception, which the compiler cannot see here. The
     * return type lets callers write {@code throw sneaky(t)} so that flow analysis knows it ends.
     */
    static RuntimeException sneaky(Throwable t) {
        throw Exceptions.<RuntimeException>doThrow(t);
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E doThrow(Throwable t) throws E {
        throw (E) t;
    }
}
