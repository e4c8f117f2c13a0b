/**
 * Implementation details shared between the core's packages and the bridge modules; not exported by the
 * {@code dev.asyncio} module and not an API: it may change in any release.
 */
package dev.asyncio.internal;
