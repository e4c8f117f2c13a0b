package dev.asyncio.engine;

/**
 * Rethrowing an exception as the same object, whatever its type: a task's exception to its awaiter, a
 * publisher's error, a stored connection error, as asyncio re-raises them. The one copy of this trick
 * for the whole project.
 */
public final class Exceptions {
    private Exceptions() {
    }

    /**
     * Throws {@code t} unchanged, even a checked exception, which the compiler cannot see here. The
     * return type lets callers write {@code throw sneaky(t)} so that flow analysis knows it ends.
     *
     * @param t the exception to throw
     * @return never returns
     */
    public static RuntimeException sneaky(Throwable t) {
        throw Exceptions.<RuntimeException>doThrow(t);
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E doThrow(Throwable t) throws E {
        throw (E) t;
    }
}
