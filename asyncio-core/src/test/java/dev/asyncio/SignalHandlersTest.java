package dev.asyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * {@link EventLoopIo#addSignalHandler}: real signals sent to this JVM with {@code kill}. SIGWINCH is
 * used because its default action is to ignore it: a signal that arrived after a handler was removed
 * cannot end the test JVM.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
@DisabledOnOs(OS.WINDOWS)
class SignalHandlersTest {
    private static final String SIGNAL = "SIGWINCH";
    private static final ContextVar<String> VAR = new ContextVar<>("var", "default");

    /** Sends {@code signal} to this JVM with the {@code kill} command, off the loop. */
    private static void kill(String signal) {
        int exit = Asyncio.toThread(() -> new ProcessBuilder("kill", "-" + signal.substring(3),
                Long.toString(ProcessHandle.current().pid())).inheritIO().start().waitFor());
        assertEquals(0, exit, "kill failed");
    }

    /** The JVM's current handler for {@code name}, read by swapping a probe in and back. */
    private static SignalHandler currentJvmHandler(String name) {
        Signal s = new Signal(name);
        SignalHandler current = Signal.handle(s, SignalHandler.SIG_DFL);
        Signal.handle(s, current);
        return current;
    }

    @Test
    void aRealSignalRunsTheCallbackOnTheLoopInTheContextOfTheCall() {
        SignalHandler before = currentJvmHandler("WINCH");
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            EventLoopIo io = EventLoopIo.current();
            List<String> seen = new ArrayList<>();
            Future<Void> twice = loop.createFuture();
            VAR.set("at add");
            io.addSignalHandler(SIGNAL, () -> {
                assertSame(loop, Asyncio.getRunningLoop(), "on the loop's turn");
                seen.add(VAR.get());
                VAR.set("set by the handler");
                if (seen.size() == 2) {
                    twice.setResult(null);
                }
            });
            VAR.set("after add");
            assertTrue(currentJvmHandler("WINCH") != before, "the JVM handler is installed");
            kill(SIGNAL);
            while (seen.isEmpty()) {
                Asyncio.sleep(0.001);
            }
            kill(SIGNAL);
            twice.await();
            assertEquals(List.of("at add", "set by the handler"), seen, "the same context copy every time");
            assertEquals("after add", VAR.get());
            assertTrue(io.removeSignalHandler(SIGNAL));
            assertFalse(io.removeSignalHandler(SIGNAL), "removed already");
            return null;
        });
        assertSame(before, currentJvmHandler("WINCH"), "the JVM's previous handler is back");
    }

    @Test
    void addingAgainReplacesTheLoopsHandler() {
        List<String> calls = Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            EventLoopIo io = EventLoopIo.current();
            List<String> log = new ArrayList<>();
            Future<Void> second = loop.createFuture();
            io.addSignalHandler("WINCH", () -> log.add("first"));
            io.addSignalHandler("sigwinch", () -> {
                log.add("second");
                second.setResult(null);
            });
            kill(SIGNAL);
            second.await();
            io.removeSignalHandler(SIGNAL);
            return log;
        });
        assertEquals(List.of("second"), calls);
    }

    @Test
    void everyLoopHandlingTheSignalReceivesIt() throws Exception {
        SignalHandler before = currentJvmHandler("WINCH");
        try (EventLoop other = new EventLoop()) {
            Future<String> otherGot = other.createFuture();
            EventLoopIo.of(other).addSignalHandler(SIGNAL, () -> otherGot.setResult("other"));
            Thread otherThread = Thread.ofPlatform().start(() -> other.runUntilComplete(otherGot));
            Asyncio.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Future<String> got = loop.createFuture();
                EventLoopIo.current().addSignalHandler(SIGNAL, () -> got.setResult("this"));
                kill(SIGNAL);
                assertEquals("this", got.await());
                EventLoopIo.current().removeSignalHandler(SIGNAL);
                return null;
            });
            otherThread.join();
            assertEquals("other", otherGot.result());
            assertTrue(currentJvmHandler("WINCH") != before, "the other loop still handles it");
        }
        assertSame(before, currentJvmHandler("WINCH"), "closing the last loop put the JVM's handler back");
    }

    @Test
    void aFailingCallbackGoesToTheExceptionHandler() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<ExceptionContext> reported = loop.createFuture();
            loop.setExceptionHandler((l, c) -> reported.setResult(c));
            EventLoopIo.current().addSignalHandler(SIGNAL, () -> {
                throw new IllegalStateException("handler failed");
            });
            kill(SIGNAL);
            assertEquals("handler failed", reported.await().exception().getMessage());
            EventLoopIo.current().removeSignalHandler(SIGNAL);
            return null;
        });
    }

    @Test
    void signalsThatCannotBeHandledAreRefused() {
        Asyncio.run(() -> {
            EventLoopIo io = EventLoopIo.current();
            for (String s : List.of("SIGKILL", "STOP", "SIGQUIT", "SIGSEGV", "SIGNOPE", "")) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> io.addSignalHandler(s, () -> { }), s);
                assertTrue(e.getMessage().contains("cannot") || e.getMessage().contains("unknown"), e.getMessage());
            }
            assertThrows(IllegalArgumentException.class, () -> io.removeSignalHandler("SIGKILL"));
            assertThrows(IllegalArgumentException.class, () -> io.removeSignalHandler("SIGNOPE"));
            assertFalse(io.removeSignalHandler("SIGUSR1"), "no handler: false, as asyncio");
            return null;
        });
    }

    @Test
    void offTheLoopsTurnOrOnAClosedLoopIsRefused() {
        EventLoop closed = Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            IllegalStateException e = Asyncio.toThread(() -> assertThrows(IllegalStateException.class,
                    () -> EventLoopIo.of(loop).addSignalHandler(SIGNAL, () -> { })));
            assertTrue(e.getMessage().contains("addSignalHandler"), e.getMessage());
            return loop;
        });
        assertThrows(IllegalStateException.class, () -> EventLoopIo.of(closed).addSignalHandler(SIGNAL, () -> { }));
    }
}
