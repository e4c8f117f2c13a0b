package dev.asyncio.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.CarrierMode;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/spring.md's production note, as users launch: a Spring Boot executable jar (Boot's layout and its
 * real launcher, {@code JarLauncher} from spring-boot-loader; the jar is assembled here from the test's class
 * path, as the Boot Maven plugin would) started with {@code java -jar} in a fresh JVM. With
 * {@code Add-Opens: java.base/java.lang} in its manifest, or with the flag in {@code JDK_JAVA_OPTIONS}, the
 * pool's loops run in {@code LOOP_CARRIER} mode (on a JDK it was tested on); with neither, in {@code PORTABLE}.
 */
@DisabledIfSystemProperty(named = "dev.asyncio.expectFastCarrier", matches = "true",
        disabledReason = "the launched JVMs do not depend on the test JVM's flags: once per build is enough")
class BootJarLaunchTest {
    private static final String ADD_OPENS_FLAG = "--add-opens java.base/java.lang=ALL-UNNAMED";

    @TempDir
    static Path dir;
    private static Path withAttribute;
    private static Path plain;

    @BeforeAll
    static void buildJars() throws IOException {
        withAttribute = bootJar(dir.resolve("with-add-opens.jar"), true);
        plain = bootJar(dir.resolve("plain.jar"), false);
    }

    private static String fastModeHere() {
        return CarrierMode.testedJdkReleases().contains(Runtime.version().feature()) ? "LOOP_CARRIER" : "PORTABLE";
    }

    @Test
    void theManifestAttributeTurnsTheFastModeOnForJavaDashJar() throws Exception {
        String out = javaJar(withAttribute, null);
        assertEquals("carrier=" + fastModeHere(), carrierLine(out));
        assertEquals(0, hints(out), out);
    }

    @Test
    void soDoesJdkJavaOptions() throws Exception {
        String out = javaJar(plain, ADD_OPENS_FLAG);
        assertEquals("carrier=" + fastModeHere(), carrierLine(out));
        assertEquals(0, hints(out), out);
    }

    @Test
    void withNeitherTheLoopsRunPortable() throws Exception {
        String out = javaJar(plain, null);
        assertEquals("carrier=PORTABLE", carrierLine(out));
        // On a JDK the fast mode was tested on, the core says once where the flag goes (CarrierMode).
        assertEquals(fastModeHere().equals("LOOP_CARRIER") ? 1 : 0, hints(out), out);
    }

    private static String carrierLine(String out) {
        return out.lines().filter(l -> l.startsWith("carrier=")).findFirst().orElseThrow(() -> new AssertionError(out));
    }

    /** How many times the output carries the core's one INFO line on turning the fast mode on. */
    private static long hints(String out) {
        return out.lines().filter(l -> l.contains("the faster LOOP_CARRIER mode is one line away")).count();
    }

    /** Runs {@code java -jar jar} on this JDK and returns what it printed, standard error included. */
    private static String javaJar(Path jar, String jdkJavaOptions) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        ProcessBuilder pb = new ProcessBuilder(java, "-jar", jar.toString()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.remove("JDK_JAVA_OPTIONS");
        env.remove("JAVA_TOOL_OPTIONS");
        if (jdkJavaOptions != null) {
            env.put("JDK_JAVA_OPTIONS", jdkJavaOptions);
        }
        Process p = pb.start();
        String out;
        try {
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(2, TimeUnit.MINUTES), "java -jar ended");
        } finally {
            p.destroyForcibly();
        }
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /**
     * A jar of Spring Boot's executable layout: the loader's classes at the root, every class-path jar and
     * directory (as a jar) under {@code BOOT-INF/lib/}, stored uncompressed as the loader requires.
     */
    private static Path bootJar(Path target, boolean addOpens) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.put(Attributes.Name.MAIN_CLASS, "org.springframework.boot.loader.launch.JarLauncher");
        main.putValue("Start-Class", BootJarMain.class.getName());
        main.putValue("Spring-Boot-Classes", "BOOT-INF/classes/");
        main.putValue("Spring-Boot-Lib", "BOOT-INF/lib/");
        if (addOpens) {
            main.putValue("Add-Opens", "java.base/java.lang");
        }
        List<Path> classPath = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(Path::of).filter(Files::exists).toList();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(target), manifest)) {
            out.putNextEntry(new JarEntry("BOOT-INF/classes/"));
            out.closeEntry();
            Path loader = classPath.stream().filter(p -> p.getFileName().toString().startsWith("spring-boot-loader-"))
                    .findFirst().orElseThrow();
            try (JarFile loaderJar = new JarFile(loader.toFile())) {
                for (JarEntry e : loaderJar.stream().toList()) {
                    if (!e.getName().startsWith("META-INF/")) {
                        out.putNextEntry(new JarEntry(e.getName()));
                        try (var in = loaderJar.getInputStream(e)) {
                            in.transferTo(out);
                        }
                        out.closeEntry();
                    }
                }
            }
            int n = 0;
            for (Path entry : classPath) {
                byte[] bytes = Files.isDirectory(entry) ? jarOf(entry) : Files.readAllBytes(entry);
                String name = Files.isDirectory(entry) ? "classes-" + (n++) + ".jar" : entry.getFileName().toString();
                stored(out, "BOOT-INF/lib/" + name, bytes);
            }
        }
        return target;
    }

    private static void stored(JarOutputStream out, String name, byte[] bytes) throws IOException {
        JarEntry e = new JarEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(bytes.length);
        e.setCompressedSize(bytes.length);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        e.setCrc(crc.getValue());
        out.putNextEntry(e);
        out.write(bytes);
        out.closeEntry();
    }

    private static byte[] jarOf(Path classesDir) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes); Stream<Path> files = Files.walk(classesDir)) {
            List<Path> all = new ArrayList<>(files.filter(Files::isRegularFile).toList());
            for (Path f : all) {
                jar.putNextEntry(new JarEntry(classesDir.relativize(f).toString().replace(File.separatorChar, '/')));
                Files.copy(f, jar); // leaves the stream open
                jar.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
