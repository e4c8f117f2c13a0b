/**
 * asyncio for Java, the core: event loop, futures and tasks, module functions, timeouts, task groups,
 * queues, synchronization primitives and streams. Depends on nothing but the JDK.
 *
 * <p>Compiled for Java 21, built and tested on JDK 25. The optional
 * {@link dev.asyncio.CarrierMode#LOOP_CARRIER} mode needs
 * {@code --add-opens java.base/java.lang=dev.asyncio} on the module path
 * ({@code =ALL-UNNAMED} on the class path) and is used by default only on the JDK releases it was tested
 * on ({@link dev.asyncio.CarrierMode#testedJdkReleases()}); see {@link dev.asyncio.CarrierMode}.
 */
// The modules named in `exports … to` are built after this one: javac's "module not found" is expected.
@SuppressWarnings("module")
module dev.asyncio {
    // sun.misc.Signal, for EventLoopIo.addSignalHandler: the JDK's only signal API.
    requires jdk.unsupported;

    exports dev.asyncio;
    exports dev.asyncio.flow;
    exports dev.asyncio.transports;
    exports dev.asyncio.streams;
    exports dev.asyncio.queues;
    exports dev.asyncio.sync;
    exports dev.asyncio.tools;

    // Optional at run time: the dev.asyncio:type=Tasks MBean needs java.management (skipped without it);
    // the dev.asyncio.tools.Ps command needs jdk.attach (and java.management.rmi to connect).
    requires static java.management;
    requires static jdk.attach;
    // Optional at run time: the loops' Flight Recorder events (dev.asyncio.TaskCreate, …) are skipped without it.
    requires static jdk.jfr;
    // dev.asyncio.engine (the loop machinery) is exported to no one.
    // The bridge SPI, for the project's own modules only (bridge plumbing, the test kit's service); not an API.
    exports dev.asyncio.internal to dev.asyncio.reactor, dev.asyncio.rxjava3, dev.asyncio.test, dev.asyncio.spring;
    // Where a misuse message asks a module that knows the thread (asyncio-spring: a WebFlux request thread).
    uses dev.asyncio.internal.NoLoopAdvice;
}
