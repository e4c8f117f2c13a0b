package dev.asyncio.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.asyncio.CarrierMode;
import dev.asyncio.Task;
import dev.asyncio.reactor.ReactorCoroutines;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Load test (issue 14): a real Boot WebFlux application on Reactor Netty (127.0.0.1, ephemeral port) with
 * the asyncio-spring auto-configuration, driven by {@code wrk -t2 -c128}; coroutine handlers (a
 * {@code Task} from {@link AsyncioLoops#submit}, a {@code ReactorCoroutines.mono}) against the same
 * handler in plain Reactor ({@code Mono.fromCallable}), for a text and a small JSON body.
 *
 * <p>Tagged {@code load}: the default build excludes it; {@code benchmarks/web-load} (or
 * {@code mvn -B -pl asyncio-spring -am verify -Pweb-load}) runs it in both surefire executions, so
 * once per carrier mode. Rounds alternate the endpoints (reversing the order every other round), and
 * the table gives each endpoint's median req/s and its ratio to the plain Reactor endpoint with the
 * same body. It fails when a response is not a 2xx (wrk's non-2xx count) or wrk fails, never on
 * speed. Without {@code wrk} on the PATH it is skipped, saying so.
 *
 * <p>System properties: {@code web.load.connections} (128), {@code web.load.threads} (2),
 * {@code web.load.seconds} per round (3), {@code web.load.rounds} (7), {@code web.load.warmup} seconds
 * per endpoint (8), {@code web.load.jfr} a directory: record JFR execution samples of each endpoint's
 * last round there. The table is also written to {@code target/web-load/<mode>.md}.
 */
@Tag("load")
class WebLoadTest {
    private static final int CONNECTIONS = Integer.getInteger("web.load.connections", 128);
    private static final int THREADS = Integer.getInteger("web.load.threads", 2);
    private static final int SECONDS = Integer.getInteger("web.load.seconds", 3);
    private static final int ROUNDS = Integer.getInteger("web.load.rounds", 7);
    private static final int WARMUP = Integer.getInteger("web.load.warmup", 8);
    private static final String JFR_DIR = System.getProperty("web.load.jfr", "");

    record Greeting(String message, long id) {
    }

    /** One endpoint; {@code baseline} is the plain Reactor endpoint it is compared with. */
    record Endpoint(String path, String handler, String baseline, String expectedBody) {
    }

    private static final String HELLO = "hello";
    private static final String JSON = "{\"message\":\"hello\",\"id\":42}";
    private static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("/reactor/hello", "Mono.fromCallable(() -> \"hello\")", "/reactor/hello", HELLO),
            new Endpoint("/task/hello", "loops.submit(() -> \"hello\") as Task<String>", "/reactor/hello", HELLO),
            new Endpoint("/mono/hello", "ReactorCoroutines.mono(() -> \"hello\")", "/reactor/hello", HELLO),
            new Endpoint("/reactor/json", "Mono.fromCallable(() -> new Greeting(..))", "/reactor/json", JSON),
            new Endpoint("/task/json", "loops.submit(() -> new Greeting(..)) as Task<Greeting>", "/reactor/json", JSON),
            new Endpoint("/mono/json", "ReactorCoroutines.mono(() -> new Greeting(..))", "/reactor/json", JSON));

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Handlers.class)
    static class App {
        @Bean
        ReactorResourceFactory reactorResourceFactory() {
            ReactorResourceFactory factory = new ReactorResourceFactory();
            factory.setUseGlobalResources(false);
            return factory;
        }
    }

    @RestController
    static class Handlers {
        private final AsyncioLoops loops;

        Handlers(AsyncioLoops loops) {
            this.loops = loops;
        }

        @GetMapping("/reactor/hello")
        Mono<String> reactorHello() {
            return Mono.fromCallable(() -> HELLO);
        }

        @GetMapping("/task/hello")
        Task<String> taskHello() {
            return loops.submit(() -> HELLO);
        }

        @GetMapping("/mono/hello")
        Mono<String> monoHello() {
            return ReactorCoroutines.mono(() -> HELLO);
        }

        @GetMapping("/reactor/json")
        Mono<Greeting> reactorJson() {
            return Mono.fromCallable(() -> new Greeting(HELLO, 42));
        }

        @GetMapping("/task/json")
        Task<Greeting> taskJson() {
            return loops.submit(() -> new Greeting(HELLO, 42));
        }

        @GetMapping("/mono/json")
        Mono<Greeting> monoJson() {
            return ReactorCoroutines.mono(() -> new Greeting(HELLO, 42));
        }
    }

    /** What one wrk run reported. */
    record WrkResult(double requestsPerSecond, long requests, long non2xx, String socketErrors, String output) {
    }

    /** This JVM's CPU time (all threads) and context switches of its live threads, at one moment. */
    record Usage(long cpuNanos, long contextSwitches) {
        static Usage now() {
            long cpu = ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
            long switches = 0;
            try (var tasks = Files.list(Path.of("/proc/self/task"))) {
                for (Path task : (Iterable<Path>) tasks::iterator) {
                    try {
                        for (String line : Files.readAllLines(task.resolve("status"))) {
                            if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
                                switches += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                            }
                        }
                    } catch (IOException | NumberFormatException threadEnded) {
                        // the thread ended meanwhile
                    }
                }
            } catch (IOException | UnsupportedOperationException noProc) {
                return new Usage(cpu, -1);
            }
            return new Usage(cpu, switches);
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void coroutineHandlersAgainstPlainReactor() throws Exception {
        String wrk = findWrk();
        Assumptions.assumeTrue(wrk != null, "wrk is not installed (Debian: apt-get install wrk): load test skipped");
        String mode = CarrierMode.defaultMode().name();

        ConfigurableApplicationContext app = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.REACTIVE)
                .properties("server.address=127.0.0.1", "server.port=0", "spring.main.banner-mode=off",
                        "logging.level.root=WARN")
                .run();
        try {
            int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
            String base = "http://127.0.0.1:" + port;
            checkResponses(base);

            System.out.printf("%nweb load test, %s mode: wrk -t%d -c%d, %d s warm-up per endpoint, %d rounds of %d s%n",
                    mode, THREADS, CONNECTIONS, WARMUP, ROUNDS, SECONDS);
            for (Endpoint e : ENDPOINTS) {
                check(e, run(wrk, base + e.path(), WARMUP));
            }

            Map<String, List<Double>> rates = new LinkedHashMap<>();
            Map<String, List<Double>> cpuPerRequest = new LinkedHashMap<>();
            Map<String, List<Double>> switchesPerRequest = new LinkedHashMap<>();
            ENDPOINTS.forEach(e -> {
                rates.put(e.path(), new ArrayList<>());
                cpuPerRequest.put(e.path(), new ArrayList<>());
                switchesPerRequest.put(e.path(), new ArrayList<>());
            });
            long non2xx = 0;
            List<String> socketErrors = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                List<Endpoint> order = new ArrayList<>(ENDPOINTS);
                if (round % 2 == 1) {
                    java.util.Collections.reverse(order);
                }
                boolean last = round == ROUNDS - 1;
                StringBuilder line = new StringBuilder("round " + (round + 1) + ":");
                for (Endpoint e : order) {
                    boolean record = last && !JFR_DIR.isEmpty();
                    if (record) {
                        jcmd("JFR.start", "name=webload", "settings=profile");
                    }
                    Usage before = Usage.now();
                    WrkResult r = run(wrk, base + e.path(), SECONDS);
                    Usage after = Usage.now();
                    cpuPerRequest.get(e.path()).add((after.cpuNanos() - before.cpuNanos()) / 1e3 / r.requests());
                    switchesPerRequest.get(e.path()).add(
                            (double) (after.contextSwitches() - before.contextSwitches()) / r.requests());
                    if (record) {
                        Path dir = Path.of(JFR_DIR).toAbsolutePath();
                        Files.createDirectories(dir);
                        jcmd("JFR.stop", "name=webload", "filename=" + dir.resolve(mode.toLowerCase(Locale.ROOT)
                                + "-" + e.path().substring(1).replace('/', '-') + ".jfr"));
                    }
                    check(e, r);
                    non2xx += r.non2xx();
                    if (r.socketErrors() != null) {
                        socketErrors.add(e.path() + ": " + r.socketErrors());
                    }
                    rates.get(e.path()).add(r.requestsPerSecond());
                    line.append(String.format(Locale.ROOT, " %s %.0f", e.path(), r.requestsPerSecond()));
                }
                System.out.println(line);
            }

            String table = table(mode, rates, cpuPerRequest, switchesPerRequest, socketErrors);
            System.out.println(table);
            Path out = Path.of("target", "web-load", mode.toLowerCase(Locale.ROOT) + ".md");
            Files.createDirectories(out.getParent());
            Files.writeString(out, table);
            assertEquals(0, non2xx, "responses that were not 2xx");
        } finally {
            app.close();
        }
    }

    /** Runs a diagnostic command on this JVM (JFR with the JDK's "profile" settings: 10 ms samples). */
    private static void jcmd(String... command) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(ProcessHandle.current().pid())));
        args.addAll(List.of(command));
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            fail("jcmd " + String.join(" ", command) + " failed:\n" + output);
        }
    }

    /** Each endpoint answers 200 with the expected body, before any load. */
    private static void checkResponses(String base) {
        WebClient client = WebClient.create(base);
        for (Endpoint e : ENDPOINTS) {
            var response = client.get().uri(e.path()).retrieve().toEntity(String.class).block(Duration.ofSeconds(30));
            assertEquals(200, response.getStatusCode().value(), e.path());
            assertEquals(e.expectedBody(), response.getBody(), e.path());
        }
    }

    private static void check(Endpoint e, WrkResult r) {
        if (r.non2xx() != 0) {
            fail(e.path() + ": " + r.non2xx() + " responses were not 2xx:\n" + r.output());
        }
        assertTrue(r.requests() > 0, e.path() + ": wrk made no request:\n" + r.output());
    }

    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern TOTAL = Pattern.compile("(\\d+) requests in ");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
    private static final Pattern SOCKET_ERRORS = Pattern.compile("Socket errors:\\s+(.*)");

    private static WrkResult run(String wrk, String url, int seconds) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(wrk, "-t" + THREADS, "-c" + CONNECTIONS, "-d" + seconds + "s", url)
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("wrk did not end: " + output);
        }
        if (process.exitValue() != 0) {
            fail("wrk exited with " + process.exitValue() + ":\n" + output);
        }
        Matcher rate = RATE.matcher(output);
        Matcher total = TOTAL.matcher(output);
        if (!rate.find() || !total.find()) {
            fail("unexpected wrk output:\n" + output);
        }
        Matcher non2xx = NON_2XX.matcher(output);
        Matcher socket = SOCKET_ERRORS.matcher(output);
        return new WrkResult(Double.parseDouble(rate.group(1)), Long.parseLong(total.group(1)),
                non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0,
                socket.find() ? socket.group(1).trim() : null, output);
    }

    private static String findWrk() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path candidate = Path.of(dir, "wrk");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String table(String mode, Map<String, List<Double>> rates, Map<String, List<Double>> cpuPerRequest,
            Map<String, List<Double>> switchesPerRequest, List<String> socketErrors) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT,
                "%nWeb load, %s mode (wrk -t%d -c%d, %d rounds of %d s, alternating; req/s median, min-max):%n%n",
                mode, THREADS, CONNECTIONS, ROUNDS, SECONDS));
        sb.append("| endpoint | handler | req/s (median) | min - max | ratio to plain Reactor | paired ratio (median of rounds) "
                + "| within 10% | server CPU µs/req | context switches/req |\n");
        sb.append("|---|---|--:|--:|--:|--:|:-:|--:|--:|\n");
        for (Endpoint e : ENDPOINTS) {
            List<Double> own = rates.get(e.path());
            List<Double> base = rates.get(e.baseline());
            double median = median(own);
            boolean isBaseline = e.path().equals(e.baseline());
            String ratio = "—";
            String paired = "—";
            String within = "(baseline)";
            if (!isBaseline) {
                double r = median / median(base);
                List<Double> perRound = new ArrayList<>();
                for (int i = 0; i < own.size(); i++) {
                    perRound.add(own.get(i) / base.get(i));
                }
                ratio = String.format(Locale.ROOT, "%.2f×", r);
                paired = String.format(Locale.ROOT, "%.2f×", median(perRound));
                within = r >= 0.9 ? "yes" : "no";
            }
            sb.append(String.format(Locale.ROOT, "| `%s` | `%s` | %,.0f | %,.0f - %,.0f | %s | %s | %s | %.1f | %.2f |%n",
                    e.path(), e.handler(), median,
                    own.stream().mapToDouble(Double::doubleValue).min().orElse(0),
                    own.stream().mapToDouble(Double::doubleValue).max().orElse(0),
                    ratio, paired, within, median(cpuPerRequest.get(e.path())), median(switchesPerRequest.get(e.path()))));
        }
        sb.append("\nserver CPU µs/req: this JVM's CPU time (all its threads; wrk runs in its own process) per request "
                + "during a round; context switches/req: of this JVM's threads (voluntary + involuntary, /proc); medians of "
                + "the rounds.\n");
        if (!socketErrors.isEmpty()) {
            sb.append("\nwrk socket errors: ").append(String.join("; ", socketErrors)).append('\n');
        }
        return sb.toString();
    }
}
