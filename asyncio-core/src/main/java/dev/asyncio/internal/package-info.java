/**
 * The one SPI between the core and the project's own modules (the Reactor, RxJava and Spring bridges and
 * the test kit): {@link dev.asyncio.internal.LoopInternals} and what the bridges share (the external
 * scheduler clock, scheduler routing, thread-local propagation, loop choice). The {@code dev.asyncio}
 * module exports this package only to them ({@code exports … to}); the API packages never import it, and
 * the engine ({@code dev.asyncio.engine}) is not exported at all. Not an API: it may change in any release.
 */
package dev.asyncio.internal;
