/**
 * Implementation classes that must be public for the {@link java.util.ServiceLoader} (the test kit's
 * one clock); not exported by the {@code dev.asyncio.rxjava3} module and not an API.
 */
package dev.asyncio.rxjava3.internal;
