package dev.asyncio.rxjava3;

import io.reactivex.rxjava3.exceptions.UndeliverableException;
import io.reactivex.rxjava3.plugins.RxJavaPlugins;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test fixture: collects what reaches {@code RxJavaPlugins.onError} (unwrapping
 * {@link UndeliverableException}) while installed; {@link #close()} resets the plugins.
 */
final class UndeliverableErrors implements AutoCloseable {
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();

    UndeliverableErrors() {
        RxJavaPlugins.setErrorHandler(e -> errors.add(e instanceof UndeliverableException u ? u.getCause() : e));
    }

    List<Throwable> list() {
        return new ArrayList<>(errors);
    }

    @Override
    public void close() {
        RxJavaPlugins.reset();
    }
}
