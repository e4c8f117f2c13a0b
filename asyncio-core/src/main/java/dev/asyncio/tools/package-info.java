/**
 * Tools that look at a running JVM's event loops from outside, after asyncio 3.14's
 * {@code python -m asyncio ps PID} and {@code pstree PID}: {@link dev.asyncio.tools.Ps}, the command;
 * {@link dev.asyncio.TasksMXBean}, the MBean it reads in the target JVM; {@link dev.asyncio.TaskListing},
 * the two listings, which a diagnostics endpoint can serve from {@link dev.asyncio.TaskInfo#snapshotAll()}.
 */
package dev.asyncio.tools;
