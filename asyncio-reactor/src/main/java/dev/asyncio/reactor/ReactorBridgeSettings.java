package dev.asyncio.reactor;

import dev.asyncio.internal.LoopChoice;

/**
 * The Reactor bridge's process-wide settings, kept apart from the public facade
 * {@link ReactorCoroutines} so that the classes of this package read them here rather than calling
 * back into the facade: where {@code mono}/{@code flux} coroutines and futures made off any loop run,
 * and the thread-local propagation {@link ReactorCoroutines#enableContextPropagation()} installed.
 *
 * <p>The propagation is held here, not in {@link ContextPropagationBridge}, so that reading it never
 * loads Micrometer's classes (an optional dependency). Thread-safe.
 */
final class ReactorBridgeSettings {
    /** Where coroutines subscribed outside any loop run (virtual time first, then the default loop supplier). */
    static final LoopChoice LOOPS = new LoopChoice(VirtualTimeLoop::ofInstalledSchedulerOrNull);

    /** The installed thread-local propagation, or {@code null}. */
    static volatile ContextPropagationBridge contextPropagation;

    private ReactorBridgeSettings() {
    }
}
