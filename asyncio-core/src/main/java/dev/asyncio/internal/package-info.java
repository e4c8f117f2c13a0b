/**
 * Implementation details shared between the core's packages and the project's own modules (the Reactor,
 * RxJava and Spring bridges and the test kit): the {@code dev.asyncio} module exports this package only
 * to them ({@code exports … to}). Not an API: it may change in any release.
 */
package dev.asyncio.internal;
