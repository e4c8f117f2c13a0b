package dev.asyncio;

/**
 * asyncio's {@code InvalidStateError}: an operation that the future's state does not allow, such as
 * {@link Future#result()} on a pending future or {@link Future#setResult(Object)} on a done one.
 */
public class InvalidStateError extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was attempted and why the state forbids it
     */
    public InvalidStateError(String message) {
        super(message);
    }
}
