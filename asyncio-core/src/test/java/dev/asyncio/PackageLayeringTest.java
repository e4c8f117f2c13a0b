package dev.asyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The core's layering (docs/architecture.md, "Packages"), so that it cannot regress: the engine imports
 * only the JDK; the API packages never import the bridge SPI; no two packages depend on each other; no
 * public type of an exported package extends or exposes an engine or SPI type. The package dependencies
 * are read from the compiled classes by the JDK's {@code jdeps} (run only where the JDK has it).
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

    @Test
    void noPublicTypeOfAnExportedPackageExtendsOrExposesAHiddenOne() throws Exception {
        List<String> leaks = new ArrayList<>();
        for (Class<?> type : publicTypesOf(API)) {
            Stream.concat(Stream.ofNullable(type.getSuperclass()), Stream.of(type.getInterfaces()))
                    .filter(PackageLayeringTest::hidden)
                    .forEach(t -> leaks.add(type.getName() + " extends " + t.getName()));
            for (Method m : type.getDeclaredMethods()) {
                if (visible(m.getModifiers()) && !m.isSynthetic()) {
                    exposes(type, m, m.getReturnType(), leaks);
                    exposesParameters(type, m, leaks);
                }
            }
            for (Constructor<?> c : type.getDeclaredConstructors()) {
                if (visible(c.getModifiers())) {
                    exposesParameters(type, c, leaks);
                }
            }
            for (Field f : type.getDeclaredFields()) {
                if (visible(f.getModifiers())) {
                    exposes(type, f, f.getType(), leaks);
                }
            }
        }
        assertEquals(List.of(), leaks);
    }

    private static void exposesParameters(Class<?> type, Executable member, List<String> leaks) {
        for (Class<?> p : member.getParameterTypes()) {
            exposes(type, member, p, leaks);
        }
    }

    private static void exposes(Class<?> type, Object member, Class<?> used, List<String> leaks) {
        Class<?> element = used;
        while (element.isArray()) {
            element = element.getComponentType();
        }
        if (hidden(element)) {
            leaks.add(type.getName() + "." + member + " exposes " + element.getName());
        }
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static boolean hidden(Class<?> type) {
        String pkg = type.getPackageName();
        return pkg.equals(ENGINE) || pkg.equals(SPI);
    }

    /** The public top-level and member types of {@code packages}, found in the compiled classes. */
    private static List<Class<?>> publicTypesOf(Set<String> packages) throws IOException, ClassNotFoundException {
        Path root = classesRoot();
        assumeTrue(Files.isDirectory(root), "the core's classes are a directory here: " + root);
        List<Class<?>> types = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), ".");
                name = name.substring(0, name.length() - ".class".length());
                int dot = name.lastIndexOf('.');
                if (dot < 0 || !packages.contains(name.substring(0, dot)) || name.endsWith("package-info")) {
                    continue;
                }
                Class<?> type = Class.forName(name, false, PackageLayeringTest.class.getClassLoader());
                if (!type.isAnonymousClass() && !type.isLocalClass() && !type.isSynthetic() && publicAllTheWay(type)) {
                    types.add(type);
                }
            }
        }
        assertFalse(types.isEmpty(), "found the public types under " + root);
        return types;
    }

    private static boolean publicAllTheWay(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getDeclaringClass()) {
            if (!visible(t.getModifiers())) {
                return false;
            }
        }
        return true;
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
