package dev.asyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The core's layering (docs/architecture.md, "Packages"), so that it cannot regress: the engine imports
 * only the JDK; the API packages never import the bridge SPI; no two packages depend on each other. The
 * package dependencies are read from the compiled classes by the JDK's {@code jdeps} (run only where the
 * JDK has it). That no public type of an exported package extends or exposes a hidden one is checked for
 * every module of the project by module-path-check.
 */
class PackageLayeringTest {
    private static final String ENGINE = "dev.asyncio.engine";
    private static final String SPI = "dev.asyncio.internal";
    private static final Set<String> API = Set.of("dev.asyncio", "dev.asyncio.flow", "dev.asyncio.queues",
            "dev.asyncio.streams", "dev.asyncio.sync", "dev.asyncio.transports");
    /** One dependency of {@code jdeps -verbose:package}: "   from   -> to   module". */
    private static final Pattern EDGE = Pattern.compile("^\\s+(\\S+)\\s+->\\s+(\\S+)");

    @Test
    void theEngineImportsOnlyTheJdk() {
        Map<String, Set<String>> deps = packageDependencies();
        assertTrue(deps.containsKey(ENGINE), "jdeps saw the engine package: " + deps.keySet());
        assertEquals(Set.of(), ownPackages(deps.get(ENGINE)), ENGINE + " depends on");
    }

    @Test
    void theApiPackagesNeverImportTheBridgeSpi() {
        Map<String, Set<String>> deps = packageDependencies();
        for (String api : API) {
            assertTrue(deps.containsKey(api), "jdeps saw " + api);
            assertFalse(deps.get(api).contains(SPI), api + " depends on " + SPI + ": " + deps.get(api));
        }
    }

    @Test
    void noTwoPackagesDependOnEachOther() {
        Map<String, Set<String>> deps = packageDependencies();
        for (String from : deps.keySet()) {
            for (String to : ownPackages(deps.get(from))) {
                assertFalse(reaches(deps, to, from), "package cycle: " + from + " -> " + to + " -> ... -> " + from);
            }
        }
    }

    private static boolean reaches(Map<String, Set<String>> deps, String from, String target) {
        Set<String> seen = new HashSet<>();
        List<String> todo = new ArrayList<>(List.of(from));
        while (!todo.isEmpty()) {
            String next = todo.removeLast();
            if (next.equals(target)) {
                return true;
            }
            if (seen.add(next)) {
                todo.addAll(ownPackages(deps.getOrDefault(next, Set.of())));
            }
        }
        return false;
    }

    /** The project's own packages among {@code targets}, without the JDK's. */
    private static Set<String> ownPackages(Set<String> targets) {
        Set<String> own = new TreeSet<>();
        for (String t : targets) {
            if (t.startsWith("dev.asyncio")) {
                own.add(t);
            }
        }
        return own;
    }

    /** {@code jdeps -verbose:package} over the core's classes: each package and the packages it uses, without itself. */
    private static Map<String, Set<String>> packageDependencies() {
        Optional<ToolProvider> jdeps = ToolProvider.findFirst("jdeps");
        assumeTrue(jdeps.isPresent(), "this JDK has no jdeps tool (module jdk.jdeps)");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = jdeps.get().run(new PrintWriter(out), new PrintWriter(err), "-verbose:package", "-filter:none",
                classesRoot().toString());
        assertEquals(0, exit, "jdeps failed: " + err);
        Map<String, Set<String>> deps = new TreeMap<>();
        for (String line : out.toString().split("\\R")) {
            Matcher m = EDGE.matcher(line);
            if (m.find()) {
                Set<String> targets = deps.computeIfAbsent(m.group(1), k -> new TreeSet<>());
                if (!m.group(1).equals(m.group(2))) {
                    targets.add(m.group(2));
                }
            }
        }
        return deps;
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
