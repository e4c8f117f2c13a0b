package dev.asyncio;

import dev.asyncio.engine.VirtualThreadInternals;
import java.lang.reflect.InvocationTargetException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * How an {@link EventLoop} runs its tasks' virtual threads (docs/design.md §5).
 *
 * <ul>
 *   <li>{@link #PORTABLE}: the JDK's default virtual-thread scheduler. Needs no flag. The turn passes
 *       straight from one task's virtual thread to the next (one unpark and one park per switch),
 *       but the default scheduler may move the next thread to another carrier, which costs more and
 *       varies.</li>
 *   <li>{@link #LOOP_CARRIER}: the loop is the scheduler of its own virtual threads, and the thread
 *       that runs the loop is their only carrier. A switch is then an unmount and a mount on one
 *       platform thread, with no cross-thread wake-up. It needs the JDK's non-public
 *       {@code ThreadBuilders$VirtualThreadBuilder(Executor)} constructor, reachable only with
 *       {@code --add-opens java.base/java.lang=ALL-UNNAMED} (or {@code =dev.asyncio} on the module
 *       path). Only the loop's own task threads run on its thread: a virtual thread that a coroutine
 *       starts (which would inherit the loop's scheduler) runs on the JDK's default scheduler, so it
 *       neither holds up the loop nor depends on it after {@link EventLoop#close()}.</li>
 * </ul>
 * Both modes have the same semantics; only the cost of a task switch differs.
 *
 * <h2>Supported JDKs</h2>
 * The library is compiled for Java 21 and {@code PORTABLE} uses public API only, so it runs on any JDK
 * 21 or newer; it is built and tested on JDK 25. {@code LOOP_CARRIER} relies on {@code java.lang}
 * internals (the builder constructor above, {@code Thread.currentCarrierThread()},
 * {@code VirtualThread.defaultScheduler()}, and how the JDK hands a virtual thread's runs to its
 * scheduler) that change between releases without notice, so it is used by default only on the JDK
 * feature releases it was tested on: 25 today.
 *
 * <h2>Choosing the mode</h2>
 * Once per JVM, when this class is first used, {@code LOOP_CARRIER} is checked: {@code java.lang} must
 * be open to asyncio, the members must exist with the expected signatures, and a behavioural self-test
 * must pass (on a platform thread of its own, a virtual thread scheduled by a test executor must run on
 * that thread, have each run handed to that executor as the same continuation, and see that thread as
 * {@code Thread.currentCarrierThread()}). The system property {@code dev.asyncio.carrier}, read each
 * time a loop is created, then decides:
 * <ul>
 *   <li>{@code auto} (the default): {@code LOOP_CARRIER} if the check passed on a tested release, else
 *       {@code PORTABLE}. Without the add-opens flag that is silent ({@code PORTABLE} is the normal mode).
 *       With the flag, falling back means the flag asked for something the JVM does not get, so it is
 *       logged once, as a {@code WARNING} of the {@link System.Logger} {@code dev.asyncio}
 *       (a warning rather than information because task switches become slower than configured, which
 *       matters most where loggers show only warnings), with the reason and how to override it.</li>
 *   <li>{@code portable}: {@code PORTABLE}, silently.</li>
 *   <li>{@code loop}: {@code LOOP_CARRIER}. This is also the escape hatch for a JDK release it was not
 *       tested on (e.g. 26): the release check is waived, with one {@code WARNING}, because such a
 *       release often keeps the internals unchanged and whoever forces the mode takes the risk. The flag,
 *       the members and the self-test are still required: without them creating a loop fails with an
 *       {@link IllegalStateException} that says what is missing, rather than silently running in a mode
 *       that was not asked for.</li>
 * </ul>
 * A loop created explicitly with {@code LOOP_CARRIER} needs {@link #loopCarrierAvailable()}, which
 * {@link #loopCarrierUnavailableReason()} explains when it is {@code false}.
 */
public enum CarrierMode {
    /** Tasks run on the JDK's default virtual-thread scheduler. */
    PORTABLE,
    /** Tasks run on virtual threads whose only carrier is the loop's own thread. */
    LOOP_CARRIER;

    /**
     * The JDK feature releases ({@link Runtime.Version#feature()}) whose internals {@code LOOP_CARRIER} was
     * tested against: the one list of them. A release joins once the whole build passes on it (every
     * module's suite runs in both modes).
     */
    static final Set<Integer> TESTED_FEATURE_RELEASES = Set.of(25);

    /** The flag {@code LOOP_CARRIER} needs, as the user should type it. */
    private static final String ADD_OPENS =
            "--add-opens java.base/java.lang=ALL-UNNAMED (or =dev.asyncio on the module path)";

    /** The checked internals, or {@code null} when java.lang is closed or the check failed. */
    private static final VirtualThreadInternals INTERNALS;
    /** The verdicts for {@code auto}, {@code portable} and {@code loop}, all decided once. */
    private static final Verdict AUTO;
    /** {@link #fastModeHint} for {@link #AUTO}, the only verdict that has one: decided once, as the verdicts are. */
    private static final String AUTO_HINT;
    private static final Verdict FORCED_PORTABLE;
    private static final Verdict FORCED_LOOP;
    private static final FallbackNotice NOTICE = new FallbackNotice(() -> System.getLogger("dev.asyncio"), System.Logger.Level.WARNING);
    private static final FallbackNotice HINT = new FallbackNotice(() -> System.getLogger("dev.asyncio"), System.Logger.Level.INFO);
    /**
     * Set once a loop-scheduled builder was handed to a loop: only from then on can a virtual thread
     * inherit a loop's scheduler, so only then do helper threads need the JDK's scheduler set explicitly.
     */
    private static volatile boolean loopCarriersExist;

    static {
        int feature = Runtime.version().feature();
        boolean opened = VirtualThreadInternals.javaLangOpened();
        VirtualThreadInternals internals = null;
        String failure = null;
        if (opened) {
            try {
                internals = VirtualThreadInternals.resolve();
                failure = internals.selfTest();
            } catch (InvocationTargetException e) {
                failure = String.valueOf(e.getCause());
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                failure = e.toString();
            }
        }
        INTERNALS = failure == null ? internals : null;
        if (INTERNALS == null) {
            // Loops will run portable: first end one virtual thread, or the JIT may deoptimize every parked task.
            VirtualThreadInternals.endOneVirtualThread();
        }
        AUTO = decide(feature, opened, failure, "auto");
        AUTO_HINT = fastModeHint(feature, opened, "auto");
        FORCED_PORTABLE = decide(feature, opened, failure, "portable");
        FORCED_LOOP = decide(feature, opened, failure, "loop");
    }

    /**
     * What one value of {@code dev.asyncio.carrier} means in a JVM.
     *
     * @param mode the mode new loops get by default, or {@code null} if {@code error} is set
     * @param unavailableReason why {@code LOOP_CARRIER} cannot be used, or {@code null} if it can
     * @param notice what to log once as a warning, or {@code null}
     * @param error why the property cannot be honoured (creating a loop fails), or {@code null}
     */
    record Verdict(CarrierMode mode, String unavailableReason, String notice, String error) {}

    /**
     * Decides the mode from what the JVM offers; pure, so that every case can be tested on any JDK.
     *
     * @param feature the JDK's feature release, e.g. 25
     * @param opened whether {@code java.lang} is open to asyncio (the add-opens flag)
     * @param internalsFailure why the internals failed the check (missing, of another shape, or failing
     *     the self-test), {@code null} if they passed; ignored unless {@code opened}
     * @param chosen the property's value: {@code auto}, {@code portable} or {@code loop}
     */
    static Verdict decide(int feature, boolean opened, String internalsFailure, String chosen) {
        boolean forced = chosen.equals("loop");
        if (!opened) {
            String reason = "java.lang is not open to asyncio: LOOP_CARRIER needs the JVM flag " + ADD_OPENS;
            return forced
                    ? new Verdict(null, reason, null, "-Ddev.asyncio.carrier=loop needs the JVM flag " + ADD_OPENS)
                    : new Verdict(PORTABLE, reason, null, null);
        }
        boolean tested = TESTED_FEATURE_RELEASES.contains(feature);
        String releases = "tested: " + String.join(", ", new TreeSet<>(TESTED_FEATURE_RELEASES).stream().map(String::valueOf).toList());
        String portableCost = " PORTABLE behaves the same; only task switches cost more.";
        if (internalsFailure != null) {
            String reason = "the java.lang internals LOOP_CARRIER uses failed asyncio's start-up check on JDK " + feature
                    + (tested ? "" : " (a release it was not tested on; " + releases + ")") + ": " + internalsFailure;
            return switch (chosen) {
                case "loop" -> new Verdict(null, reason, null, "-Ddev.asyncio.carrier=loop cannot be honoured: " + reason);
                case "portable" -> new Verdict(PORTABLE, reason, null, null);
                default -> new Verdict(PORTABLE, reason, "asyncio: loops run in PORTABLE mode, not LOOP_CARRIER, although "
                        + "java.lang is opened: " + reason + "." + portableCost
                        + " -Ddev.asyncio.carrier=portable (or leaving out the add-opens flag) silences this.", null);
            };
        }
        if (!tested) {
            String reason = "JDK " + feature + " is not a release LOOP_CARRIER was tested on (" + releases
                    + "); its java.lang internals passed the start-up check, and -Ddev.asyncio.carrier=loop uses them anyway";
            return switch (chosen) {
                case "loop" -> new Verdict(LOOP_CARRIER, null, "asyncio: LOOP_CARRIER forced by -Ddev.asyncio.carrier=loop on JDK "
                        + feature + ", a release it was not tested on (" + releases + "). Its java.lang internals passed "
                        + "the start-up self-test, but a change the test does not cover may break or hang loops; if anything "
                        + "misbehaves, run without the property (PORTABLE) and report it.", null);
                case "portable" -> new Verdict(PORTABLE, reason, null, null);
                default -> new Verdict(PORTABLE, reason, "asyncio: loops run in PORTABLE mode, not LOOP_CARRIER, although "
                        + "java.lang is opened: LOOP_CARRIER relies on non-public java.lang internals that change between "
                        + "releases, and JDK " + feature + " is not a release it was tested on (" + releases + ")." + portableCost
                        + " -Ddev.asyncio.carrier=loop uses LOOP_CARRIER anyway (the internals passed the start-up "
                        + "self-test), at your own risk; -Ddev.asyncio.carrier=portable silences this.", null);
            };
        }
        return new Verdict(chosen.equals("portable") ? PORTABLE : LOOP_CARRIER, null, null, null);
    }

    /**
     * Returns the JDK feature releases ({@link Runtime.Version#feature()}) on which {@link #LOOP_CARRIER} is
     * used by default, because its {@code java.lang} internals were tested there. On other releases it is
     * used only when {@code -Ddev.asyncio.carrier=loop} forces it (see the class comment).
     *
     * @return the tested releases, e.g. {@code [25]}
     */
    public static Set<Integer> testedJdkReleases() {
        return TESTED_FEATURE_RELEASES;
    }

    /**
     * The one INFO line for a JVM whose loops run in {@link #PORTABLE} mode only for want of the add-opens
     * flag, on a release where {@link #LOOP_CARRIER} is used by default: where to put the flag. Silent when
     * {@code -Ddev.asyncio.carrier=portable} chose the mode, on untested releases (the flag would not turn
     * the fast mode on there) and when the flag is given.
     *
     * @param feature the JDK's feature release
     * @param opened whether {@code java.lang} is open to asyncio
     * @param chosen the property's value: {@code auto}, {@code portable} or {@code loop}
     * @return the line, or {@code null}
     */
    static String fastModeHint(int feature, boolean opened, String chosen) {
        if (opened || !chosen.equals("auto") || !TESTED_FEATURE_RELEASES.contains(feature)) {
            return null;
        }
        return "asyncio: event loops run in PORTABLE mode because java.lang is not open to asyncio; on JDK " + feature
                + " the faster LOOP_CARRIER mode is one line away: " + ADD_OPENS + " on the java command line or in "
                + "JDK_JAVA_OPTIONS, Surefire's <argLine> for tests, or the manifest attribute 'Add-Opens: java.base/java.lang' "
                + "of an executable jar (java -jar, a Spring Boot jar too). -Ddev.asyncio.carrier=portable keeps PORTABLE "
                + "without this line.";
    }

    /** The verdict for the property's current value, logging its notice if it is the JVM's first. */
    private static Verdict verdict() {
        String chosen = System.getProperty("dev.asyncio.carrier", "auto").trim().toLowerCase(Locale.ROOT);
        Verdict v = switch (chosen) {
            case "auto", "" -> AUTO;
            case "portable" -> FORCED_PORTABLE;
            case "loop" -> FORCED_LOOP;
            default -> throw new IllegalArgumentException(
                    "-Ddev.asyncio.carrier=" + chosen + " is not one of auto, portable, loop");
        };
        NOTICE.give(v.notice());
        HINT.give(v == AUTO ? AUTO_HINT : null);
        return v;
    }

    /**
     * Logs one notice per JVM: the reason for a mode is the same for every loop, so repeating it for each
     * would only bury it. A class of its own so that tests can check the once with a logger of theirs.
     */
    static final class FallbackNotice {
        /** Looked up only when there is something to log: finding the logging back end takes milliseconds. */
        private final Supplier<System.Logger> logger;
        private final System.Logger.Level level;
        private final AtomicBoolean given = new AtomicBoolean();

        FallbackNotice(Supplier<System.Logger> logger, System.Logger.Level level) {
            this.logger = logger;
            this.level = level;
        }

        /** Logs {@code message} at its level unless it is {@code null} or a notice was already given; @return whether it logged */
        boolean give(String message) {
            if (message == null || !given.compareAndSet(false, true)) {
                return false;
            }
            logger.get().log(level, message);
            return true;
        }
    }

    /**
     * A builder of virtual threads on the JDK's default scheduler, for the loop's helper threads: plain
     * {@code Thread.ofVirtual()} would inherit a loop carrier's scheduler when called from a task.
     */
    static Thread.Builder.OfVirtual helperThreads() {
        if (!loopCarriersExist) {
            return Thread.ofVirtual(); // no loop-scheduled thread exists, so nothing can inherit its scheduler
        }
        return INTERNALS.builder(INTERNALS.defaultScheduler());
    }

    /**
     * Returns the mode that loops get when none is given: {@link #LOOP_CARRIER} where it is available on a
     * tested JDK release, else {@link #PORTABLE}, unless the system property {@code dev.asyncio.carrier}
     * says otherwise (see the class comment). The first call that falls back although {@code java.lang}
     * is opened, or that forces {@code LOOP_CARRIER} on an untested release, logs why, once per JVM.
     *
     * @return the mode new loops use
     * @throws IllegalStateException if the property is {@code loop} and {@code LOOP_CARRIER} cannot run in
     *     this JVM; the message says why
     * @throws IllegalArgumentException if the property is not {@code auto}, {@code portable} or {@code loop}
     */
    public static CarrierMode defaultMode() {
        Verdict v = verdict();
        if (v.error() != null) {
            throw new IllegalStateException(v.error());
        }
        return v.mode();
    }

    /**
     * Returns whether loops can run in {@link #LOOP_CARRIER} mode in this JVM: {@code java.lang} is opened,
     * its internals passed the start-up check, and the JDK is a tested release or
     * {@code -Ddev.asyncio.carrier=loop} forces it.
     *
     * @return whether {@link #LOOP_CARRIER} can be used in this JVM
     * @throws IllegalArgumentException if the property {@code dev.asyncio.carrier} has an unknown value
     */
    public static boolean loopCarrierAvailable() {
        return verdict().unavailableReason() == null;
    }

    /**
     * Explains a {@code false} {@link #loopCarrierAvailable()}: the add-opens flag is missing, the JDK is
     * not a release {@code LOOP_CARRIER} was tested on, or its internals failed the start-up check (and
     * how). Meant for a start-up log line or a diagnostics page that shows why loops run in
     * {@link #PORTABLE} mode.
     *
     * @return why {@link #LOOP_CARRIER} cannot be used in this JVM, or empty if it can
     * @throws IllegalArgumentException if the property {@code dev.asyncio.carrier} has an unknown value
     */
    public static Optional<String> loopCarrierUnavailableReason() {
        return Optional.ofNullable(verdict().unavailableReason());
    }

    /**
     * The JDK internals a loop in {@link #LOOP_CARRIER} mode schedules its threads with (the engine's
     * {@code Turn}); from then on helper threads must name the default scheduler (see {@link #helperThreads()}).
     *
     * @throws IllegalStateException if {@link #LOOP_CARRIER} cannot run in this JVM; the message says why
     */
    static VirtualThreadInternals loopCarrierInternals() {
        String unavailable = verdict().unavailableReason();
        if (unavailable != null) {
            throw new IllegalStateException("CarrierMode.LOOP_CARRIER cannot be used: " + unavailable);
        }
        loopCarriersExist = true;
        return INTERNALS;
    }
}
