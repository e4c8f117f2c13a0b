package dev.asyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher stays out of the frames parked tasks keep: {@link EventLoopEngine#dispatch()} must stay
 * one method larger than the JIT inlines into a hot caller (C2's {@code FreqInlineSize}, 325 bytes of
 * bytecode), because the task that suspends calls it from the frame it then parks in (see the method's
 * Javadoc). Splitting it into smaller methods, each inlined, would bring it back into every parked task's
 * stack chunk. Read from the compiled class with the JDK's {@code javap}.
 */
class EventLoopEngineTest {
    /** C2's default {@code -XX:FreqInlineSize} on the platforms the JDK ships for. */
    private static final int HOT_INLINE_LIMIT = 325;
    private static final Pattern INSTRUCTION = Pattern.compile("^\\s+(\\d+): (\\w+)");

    @Test
    void theDispatcherIsTooLargeToBeInlinedIntoTheFrameATaskParksIn() {
        int length = bytecodeLength("java.lang.Object dispatch();");
        assertTrue(length > HOT_INLINE_LIMIT, "EventLoopEngine.dispatch() is " + length + " bytes of bytecode, at most "
                + HOT_INLINE_LIMIT + ": C2 inlines it into Turn.suspend, and every parked task's frame grows by it");
    }

    /** The offset after the last instruction of the method declared as {@code declaration}, from {@code javap -c -p}. */
    private static int bytecodeLength(String declaration) {
        Optional<ToolProvider> javap = ToolProvider.findFirst("javap");
        assumeTrue(javap.isPresent(), "this JDK has no javap tool (module jdk.jdeps)");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = javap.get().run(new PrintWriter(out), new PrintWriter(err), "-c", "-p", "-cp",
                classesRoot().toString(), EventLoopEngine.class.getName());
        assertEquals(0, exit, "javap failed: " + err);
        List<String> lines = out.toString().lines().toList();
        int at = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().endsWith(declaration)) {
                at = i;
                break;
            }
        }
        assertTrue(at >= 0, "no " + declaration + " in javap's output");
        int lastOffset = -1;
        String lastOp = null;
        for (int i = at + 1; i < lines.size() && !lines.get(i).isBlank(); i++) {
            Matcher m = INSTRUCTION.matcher(lines.get(i));
            if (m.find()) {
                lastOffset = Integer.parseInt(m.group(1));
                lastOp = m.group(2);
            }
        }
        assertTrue(lastOffset >= 0, "no instructions under " + declaration);
        // The last instruction of a method is a jump, a return or a throw: goto is 3 bytes, the others 1.
        return lastOffset + (lastOp.startsWith("goto") ? 3 : 1);
    }

    /** Where the core's compiled classes are: the directory (or jar) {@link EventLoop} was loaded from. */
    private static Path classesRoot() {
        try {
            return Path.of(EventLoop.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
