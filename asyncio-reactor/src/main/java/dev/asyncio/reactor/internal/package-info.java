/**
 * Implementation classes that must be public for the {@link java.util.ServiceLoader} (the test kit's
 * one clock); not exported by the {@code dev.asyncio.reactor} module and not an API.
 */
package dev.asyncio.reactor.internal;
