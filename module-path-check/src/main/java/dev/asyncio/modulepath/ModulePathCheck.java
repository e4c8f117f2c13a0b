package dev.asyncio.modulepath;

import dev.asyncio.Asyncio;
import dev.asyncio.CarrierMode;
import dev.asyncio.FutureCallGraph;
import dev.asyncio.reactor.ReactorCoroutines;
import dev.asyncio.rxjava3.RxCoroutines;
import dev.asyncio.spring.AsyncioLoops;
import dev.asyncio.test.TestLoops;
import io.reactivex.rxjava3.core.Single;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleReader;
import java.lang.module.ResolvedModule;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import reactor.core.publisher.Mono;

/**
 * Checks the published jars as a user's modular application sees them: run with
 * {@code java --module-path <the jars> --module dev.asyncio.modulepath/dev.asyncio.modulepath.ModulePathCheck
 * <version> <carrier mode>} (the build does so after packaging, see this module's pom). The surefire runs of
 * every other module put the jars on the class path, where a descriptor is ignored; this is where the
 * descriptors are tested:
 * <ul>
 *   <li>each of our modules is an explicit module (not an automatic one), of the project's version, with a
 *       descriptor compiled at release 21 like the rest of its classes;</li>
 *   <li>its unqualified exports are exactly the documented public packages, and a public class of a package
 *       not exported to us (such as {@code dev.asyncio.internal}) is inaccessible; the core's engine
 *       package is exported to no module, not even qualified; no public type of an exported package
 *       extends or exposes (in a public or protected signature) a type of a package not exported to
 *       everyone;</li>
 *   <li>{@code requires transitive} gives this module, which requires only the bridge, test and Spring
 *       modules, readability of {@code dev.asyncio}, Reactor, Reactive Streams, RxJava and JUnit; the
 *       {@code requires static} modules (reactor-test, Spring) are absent and not needed;</li>
 *   <li>every {@code provides} names a provider that the module contains and {@link ServiceLoader} finds;</li>
 *   <li>the libraries work: a coroutine in the expected {@link CarrierMode} (the loop-carrier mode needs
 *       {@code --add-opens java.base/java.lang=dev.asyncio}), a coroutine {@code Mono} and an awaited one, an
 *       RxJava {@code Single}, a test loop on which sleep, Reactor's and RxJava's timers share the virtual
 *       clock (the test kit finds the bridges as services), a Spring pool of loops.</li>
 * </ul>
 * Every failure is collected; the program prints them and exits with status 1, else prints how many checks
 * passed. Runs on the main thread; the libraries start their own loops and threads.
 */
public final class ModulePathCheck {
    /** Release 21 class files: major version 65. */
    private static final int RELEASE_21_MAJOR = 65;

    /** The core's loop machinery: a package of dev.asyncio that is exported to no module at all. */
    private static final String ENGINE_PACKAGE = "dev.asyncio.engine";

    /** The packages each of our modules exports to everyone: the public API of the README's feature table. */
    private static final Map<String, Set<String>> PUBLIC_PACKAGES = Map.of(
            "dev.asyncio", Set.of("dev.asyncio", "dev.asyncio.flow", "dev.asyncio.transports", "dev.asyncio.streams",
                    "dev.asyncio.queues", "dev.asyncio.sync", "dev.asyncio.tools"),
            "dev.asyncio.reactor", Set.of("dev.asyncio.reactor"),
            "dev.asyncio.rxjava3", Set.of("dev.asyncio.rxjava3"),
            "dev.asyncio.test", Set.of("dev.asyncio.test"),
            "dev.asyncio.spring", Set.of("dev.asyncio.spring"));

    /** Modules this one reads only through the {@code requires transitive} of the modules it requires. */
    private static final List<String> READ_TRANSITIVELY = List.of(
            "dev.asyncio", "reactor.core", "org.reactivestreams", "io.reactivex.rxjava3", "org.junit.jupiter.api");

    /** {@code requires static} modules of ours that a user's application need not have. */
    private static final List<String> OPTIONAL_AT_RUN_TIME = List.of("reactor.test", "spring.core", "spring.webflux");

    private final Module self = ModulePathCheck.class.getModule();
    private final List<String> failures = new ArrayList<>();
    private int passed;

    private ModulePathCheck() {
    }

    /**
     * Runs every check.
     *
     * @param args the project version the descriptors must carry, and the {@link CarrierMode} name that
     *             {@code Asyncio.run} must use in this JVM
     */
    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: ModulePathCheck <expected module version> <expected carrier mode>");
            System.exit(2);
        }
        ModulePathCheck check = new ModulePathCheck();
        check.runAll(args[0], CarrierMode.valueOf(args[1]));
        if (!check.failures.isEmpty()) {
            System.err.println("module path check: " + check.failures.size() + " of "
                    + (check.failures.size() + check.passed) + " checks FAILED:");
            check.failures.forEach(f -> System.err.println("  - " + f));
            System.exit(1);
        }
        System.out.println("module path check (" + args[1] + "): all " + check.passed + " checks passed");
    }

    private void runAll(String version, CarrierMode mode) {
        expect(self.isNamed(), "the check itself runs as a named module, i.e. on the module path");
        for (String name : new TreeSet<>(PUBLIC_PACKAGES.keySet())) {
            Optional<Module> module = ModuleLayer.boot().findModule(name);
            expect(module.isPresent(), name + " is in the boot layer");
            module.ifPresent(m -> checkModule(m, version));
        }
        checkRequires();
        checkBehaviour(mode);
    }

    private void checkModule(Module module, String version) {
        String name = module.getName();
        ModuleDescriptor descriptor = module.getDescriptor();
        expect(!descriptor.isAutomatic(), name + " has a module-info.class (is not an automatic module)");
        expect(descriptor.rawVersion().equals(Optional.of(version)),
                name + " carries module version " + version + " (was " + descriptor.rawVersion() + ")");
        int major = descriptorMajorVersion(module);
        expect(major == RELEASE_21_MAJOR,
                name + "'s module-info.class is a release-21 class file (major " + RELEASE_21_MAJOR + ", was " + major + ")");

        Set<String> exported = descriptor.exports().stream()
                .filter(e -> !e.isQualified())
                .map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toCollection(TreeSet::new));
        expect(exported.equals(new TreeSet<>(PUBLIC_PACKAGES.get(name))),
                name + " exports exactly " + new TreeSet<>(PUBLIC_PACKAGES.get(name)) + " (was " + exported + ")");

        List<String> leaks = new ArrayList<>();
        for (String pkg : exported) {
            publicClassesIn(module, pkg).forEach(c -> collectHiddenTypesExposed(c, leaks));
        }
        expect(leaks.isEmpty(), "no public type of " + name + "'s exported packages extends or exposes a type of a "
                + "package our modules do not export to everyone (was " + leaks + ")");

        int hidden = 0;
        for (String pkg : new TreeSet<>(module.getPackages())) {
            if (!module.isExported(pkg, self)) {
                hidden++;
                checkInaccessible(module, pkg);
            }
        }
        if (name.equals("dev.asyncio")) {
            expect(hidden > 0, "dev.asyncio has a package that is not exported to applications (dev.asyncio.internal)");
            expect(module.getPackages().contains(ENGINE_PACKAGE)
                    && descriptor.exports().stream().noneMatch(e -> e.source().equals(ENGINE_PACKAGE)),
                    "dev.asyncio has the engine package " + ENGINE_PACKAGE + " and exports it to no module, not even qualified");
        }
        for (ModuleDescriptor.Provides provides : descriptor.provides()) {
            checkProvides(module, provides);
        }
    }

    /** A public class of a package the module does not export to us must not be accessible from here. */
    private void checkInaccessible(Module module, String pkg) {
        Optional<Class<?>> publicClass = publicClassIn(module, pkg);
        expect(publicClass.isPresent(), module.getName() + "'s unexported package " + pkg + " has a public class to try");
        publicClass.ifPresent(c -> {
            boolean accessible;
            try {
                MethodHandles.lookup().accessClass(c);
                accessible = true;
            } catch (IllegalAccessException expected) {
                accessible = false;
            }
            expect(!accessible, "public " + c.getName() + " of the unexported package " + pkg + " is inaccessible");
        });
    }

    private void checkProvides(Module module, ModuleDescriptor.Provides provides) {
        Class<?> service = visibleFrom(module, provides.service()); // often another module's type
        expect(service != null, module.getName() + " provides the loadable service " + provides.service());
        if (service == null) {
            return;
        }
        for (String providerName : provides.providers()) {
            Class<?> provider = classIn(module, providerName);
            expect(provider != null && provider.getModule() == module,
                    module.getName() + " contains its provider " + providerName);
            if (provider == null) {
                continue;
            }
            expect(service.isAssignableFrom(provider) || hasProviderMethod(provider, service),
                    providerName + " is a " + provides.service());
            if (isAccessible(service)) {
                // ServiceLoader serves only modules that declare `uses`; this one adds it at run time.
                self.addUses(service);
                boolean found = ServiceLoader.load(ModuleLayer.boot(), service).stream()
                        .anyMatch(p -> p.type() == provider);
                expect(found, "ServiceLoader finds " + providerName + " for " + provides.service());
            }
        }
    }

    private void checkRequires() {
        for (String name : READ_TRANSITIVELY) {
            boolean requiredDirectly = self.getDescriptor().requires().stream().anyMatch(r -> r.name().equals(name));
            Optional<Module> module = ModuleLayer.boot().findModule(name);
            expect(!requiredDirectly && module.isPresent() && self.canRead(module.get()),
                    "reads " + name + " through requires transitive alone");
        }
        for (String name : OPTIONAL_AT_RUN_TIME) {
            expect(ModuleLayer.boot().findModule(name).isEmpty(),
                    name + " (requires static) is absent and the application starts without it");
        }
    }

    private void checkBehaviour(CarrierMode requested) {
        CarrierMode expected = requested;
        if (requested == CarrierMode.LOOP_CARRIER) {
            expect(Thread.class.getModule().isOpen("java.lang", CarrierMode.class.getModule()),
                    "--add-opens java.base/java.lang=dev.asyncio opens java.lang to the core module");
            int feature = Runtime.version().feature();
            if (!CarrierMode.testedJdkReleases().contains(feature)) {
                // What a user gets there too: the loop-carrier mode only on the releases it was tested on.
                System.out.println("module path check: JDK " + feature + " is not among LOOP_CARRIER's tested releases "
                        + CarrierMode.testedJdkReleases() + ", so loops are expected to run in PORTABLE mode");
                expected = CarrierMode.PORTABLE;
            }
        }
        CarrierMode mode = expected;
        attempt("a coroutine runs in carrier mode " + mode, () -> {
            CarrierMode used = Asyncio.run(() -> {
                Asyncio.sleep(Duration.ofMillis(1));
                return Asyncio.getRunningLoop().getCarrierMode();
            });
            return used == mode ? null
                    : "it ran in " + used + CarrierMode.loopCarrierUnavailableReason().map(r -> " (" + r + ")").orElse("");
        });
        attempt("a coroutine Mono, awaiting a Reactor Mono, completes", () -> {
            String value = ReactorCoroutines.mono(() -> ReactorCoroutines.await(Mono.just("mono").delayElement(Duration.ofMillis(1))))
                    .block(Duration.ofSeconds(30));
            return "mono".equals(value) ? null : "it gave " + value;
        });
        // The bridge records the edge through dev.asyncio.internal, which the core exports to it alone.
        // Behind .hide() the Mono is subscribed to (a task of its own); awaited bare, it runs in the awaiting task.
        attempt("the call graph shows a task as the awaiter of the Mono coroutine it subscribes to", () -> {
            FutureCallGraph graph = Asyncio.run(() -> ReactorCoroutines.await(ReactorCoroutines.mono(() -> Asyncio.captureCallGraph()).hide()));
            return graph.awaitedBy().size() == 1 ? null : "awaited by " + graph.awaitedBy();
        });
        // The inline await reaches dev.asyncio.internal.InlineAwait, exported to the bridges alone.
        attempt("a Mono and a Single coroutine awaited on their loop run in the awaiting task", () -> {
            boolean[] same = Asyncio.run(() -> new boolean[] {
                ReactorCoroutines.await(ReactorCoroutines.mono(Asyncio::currentTask)) == Asyncio.currentTask(),
                RxCoroutines.await(RxCoroutines.single(Asyncio::currentTask)) == Asyncio.currentTask()});
            return same[0] && same[1] ? null : "mono in the awaiting task: " + same[0] + ", single: " + same[1];
        });
        attempt("a coroutine RxJava Single completes", () -> {
            String value = RxCoroutines.single(() -> "single").timeout(30, TimeUnit.SECONDS).blockingGet();
            return "single".equals(value) ? null : "it gave " + value;
        });
        // The test kit finds the bridges' OneClockBridge through the ServiceLoader (`uses` in dev.asyncio.test,
        // `provides` in the bridges): only then do Mono.delay and Single.timer run on the virtual clock, and an
        // hour of each passes at once; without them this would run into the test loop's 60 s timeout.
        attempt("a test loop runs an hour of sleep, Mono.delay and Single.timer on its virtual clock", () -> {
            double[] elapsed = new double[1];
            TestLoops.runTest(testLoop -> {
                double start = testLoop.loop().time();
                Asyncio.sleep(Duration.ofHours(1));
                ReactorCoroutines.await(Mono.delay(Duration.ofHours(1)));
                RxCoroutines.await(Single.timer(1, TimeUnit.HOURS));
                elapsed[0] = testLoop.loop().time() - start;
            });
            return elapsed[0] >= 3 * 3600 ? null : "the clock moved " + elapsed[0] + " s";
        });
        attempt("a task on Spring's pool of loops completes", () -> {
            try (AsyncioLoops loops = new AsyncioLoops(1)) {
                String value = loops.submit(() -> "spring").toCompletableFuture().get(30, TimeUnit.SECONDS);
                return "spring".equals(value) ? null : "it gave " + value;
            }
        });
    }

    /** One behavioural check: {@code body} returns {@code null} on success or what went wrong. */
    private void attempt(String what, Attempt body) {
        String problem;
        try {
            problem = body.run();
        } catch (Exception | LinkageError e) {
            problem = e.toString();
        }
        expect(problem == null, what + (problem == null ? "" : ": " + problem));
    }

    /** A behavioural check's body. */
    @FunctionalInterface
    private interface Attempt {
        String run() throws Exception;
    }

    private void expect(boolean condition, String what) {
        if (condition) {
            passed++;
        } else {
            failures.add(what);
        }
    }

    private static int descriptorMajorVersion(Module module) {
        try (InputStream in = module.getResourceAsStream("module-info.class")) {
            if (in == null) {
                return -1;
            }
            byte[] header = in.readNBytes(8); // magic (4), minor (2), major (2)
            return header.length == 8 ? ((header[6] & 0xff) << 8) | (header[7] & 0xff) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Adds to {@code leaks} each supertype, and each type of a public or protected member's signature, of
     * {@code type} and of its public nested types, that belongs to one of our packages not exported to
     * everyone (the bridge SPI {@code dev.asyncio.internal}, the engine, a bridge's {@code internal}).
     */
    private static void collectHiddenTypesExposed(Class<?> type, List<String> leaks) {
        List<Class<?>> used = new ArrayList<>();
        try {
            used.add(type.getSuperclass());
            used.addAll(List.of(type.getInterfaces()));
            for (Method m : type.getDeclaredMethods()) {
                if (visible(m.getModifiers()) && !m.isSynthetic()) {
                    used.add(m.getReturnType());
                    used.addAll(List.of(m.getParameterTypes()));
                }
            }
            for (var c : type.getDeclaredConstructors()) {
                if (visible(c.getModifiers())) {
                    used.addAll(List.of(c.getParameterTypes()));
                }
            }
            for (var f : type.getDeclaredFields()) {
                if (visible(f.getModifiers())) {
                    used.add(f.getType());
                }
            }
            for (Class<?> nested : type.getDeclaredClasses()) {
                if (visible(nested.getModifiers())) {
                    collectHiddenTypesExposed(nested, leaks);
                }
            }
        } catch (LinkageError optionalModuleAbsent) {
            return; // a signature names a type of a library that is optional at run time: not one of ours
        }
        for (Class<?> u : used) {
            Class<?> element = u;
            while (element != null && element.isArray()) {
                element = element.getComponentType();
            }
            if (element != null && element.getModule().isNamed() && element.getModule().getName().startsWith("dev.asyncio")
                    && !element.getModule().isExported(element.getPackageName())) {
                leaks.add(type.getName() + " uses " + element.getName());
            }
        }
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    /** The first public top-level class of {@code pkg} in {@code module}, listed from the module's jar. */
    private static Optional<Class<?>> publicClassIn(Module module, String pkg) {
        return publicClassesIn(module, pkg).stream().findFirst();
    }

    /** The public top-level classes of {@code pkg} in {@code module}, listed from the module's jar, by name. */
    private static List<Class<?>> publicClassesIn(Module module, String pkg) {
        ResolvedModule resolved = ModuleLayer.boot().configuration().findModule(module.getName()).orElseThrow();
        String prefix = pkg.replace('.', '/') + '/';
        List<String> names;
        try (ModuleReader reader = resolved.reference().open()) {
            names = reader.list()
                    .filter(e -> e.startsWith(prefix) && e.endsWith(".class") && e.indexOf('/', prefix.length()) < 0)
                    .map(e -> e.substring(0, e.length() - ".class".length()).replace('/', '.'))
                    .filter(n -> !n.contains("$") && !n.endsWith(".package-info"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
        List<Class<?>> classes = new ArrayList<>();
        for (String name : names) {
            Class<?> c;
            try {
                c = classIn(module, name);
            } catch (LinkageError optionalModuleAbsent) {
                continue; // extends a type of a library that is optional at run time (Spring): cannot be loaded here
            }
            if (c != null && Modifier.isPublic(c.getModifiers())) {
                classes.add(c);
            }
        }
        return classes;
    }

    /** Loads (without initialising) a class of {@code module}, or {@code null}. */
    private static Class<?> classIn(Module module, String name) {
        return Class.forName(module, name);
    }

    /** Loads (without initialising) a class as {@code module}'s code sees it, or {@code null}. */
    private static Class<?> visibleFrom(Module module, String name) {
        try {
            return Class.forName(name, false, module.getClassLoader());
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    private static boolean isAccessible(Class<?> c) {
        try {
            MethodHandles.lookup().accessClass(c);
            return true;
        } catch (IllegalAccessException e) {
            return false;
        }
    }

    /** A provider may be any class with a {@code public static provider()} returning the service. */
    private static boolean hasProviderMethod(Class<?> provider, Class<?> service) {
        try {
            Method m = provider.getDeclaredMethod("provider");
            return Modifier.isStatic(m.getModifiers()) && service.isAssignableFrom(m.getReturnType());
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
