package dev.asyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/** The loops' JDK Flight Recorder events, recorded for real and read back from the recording file. */
class FlightEventsTest {
    /** Records {@code body} with the asyncio events enabled ({@code stepThreshold} for steps) and reads them back. */
    private static List<RecordedEvent> record(Duration stepThreshold, Callable<?> body) throws Exception {
        Path file = Files.createTempFile("asyncio-flight", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable("dev.asyncio.TaskCreate");
            recording.enable("dev.asyncio.TaskFinish");
            recording.enable("dev.asyncio.TaskCancel");
            var step = recording.enable("dev.asyncio.TaskStep");
            if (stepThreshold != null) {
                step.withThreshold(stepThreshold);
            }
            recording.start();
            body.call();
            recording.stop();
            recording.dump(file);
            return RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().startsWith("dev.asyncio.")).toList();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static List<RecordedEvent> of(List<RecordedEvent> events, String type, String task) {
        return events.stream().filter(e -> e.getEventType().getName().equals("dev.asyncio." + type)
                && task.equals(e.getString("taskName"))).toList();
    }

    @Test
    void aRecordingShowsEachTasksCreationCancelRequestOutcomeAndSteps() throws Exception {
        List<RecordedEvent> events = record(Duration.ZERO, () -> Asyncio.run(() -> {
            Task<String> ok = Asyncio.createTask(() -> {
                Asyncio.sleep(0);
                return "v";
            }, "ok");
            Task<String> failing = Asyncio.createTask(() -> {
                throw new IllegalArgumentException("boom");
            }, "failing");
            Task<Void> cancelled = Asyncio.createTask(() -> Asyncio.sleep(3600), "cancelled");
            Asyncio.sleep(0);
            cancelled.cancel("stop");
            Asyncio.gatherReturnExceptions(ok, failing, cancelled).await();
            return null;
        }));
        for (String name : List.of("ok", "failing", "cancelled")) {
            assertEquals(1, of(events, "TaskCreate", name).size(), name);
            RecordedEvent created = of(events, "TaskCreate", name).get(0);
            assertTrue(created.getString("taskId").startsWith("0x"), created::toString);
            assertTrue(created.getStackTrace().getFrames().stream()
                    .anyMatch(f -> f.getMethod().getType().getName().equals(FlightEventsTest.class.getName())), created::toString);
        }
        assertEquals("result", of(events, "TaskFinish", "ok").get(0).getString("outcome"));
        RecordedEvent failed = of(events, "TaskFinish", "failing").get(0);
        assertEquals("exception", failed.getString("outcome"));
        assertEquals("java.lang.IllegalArgumentException: boom", failed.getString("exception"));
        assertEquals("cancelled", of(events, "TaskFinish", "cancelled").get(0).getString("outcome"));
        List<RecordedEvent> cancels = of(events, "TaskCancel", "cancelled");
        assertEquals(1, cancels.size());
        assertEquals("stop", cancels.get(0).getString("message"));
        assertEquals(2, of(events, "TaskStep", "ok").size(), "one step to the sleep(0), one after it");
        assertEquals(of(events, "TaskCreate", "ok").get(0).getString("loopId"), of(events, "TaskStep", "ok").get(0).getString("loopId"));
    }

    @Test
    void anEagerTasksFirstStepIsAStepToo() throws Exception {
        List<RecordedEvent> events = record(Duration.ZERO, () -> Asyncio.run(() -> {
            Asyncio.getRunningLoop().setEagerTaskStart(true);
            Asyncio.createTask(() -> Asyncio.sleep(0), "eager").await();
            return null;
        }));
        assertEquals(2, of(events, "TaskStep", "eager").size(), "the eager first step and the one after sleep(0)");
    }

    @Test
    void withTheDefaultThresholdAStepThatHoldsTheTurnIsRecorded() throws Exception {
        List<RecordedEvent> events = record(null, () -> Asyncio.run(() -> {
            Asyncio.createTask(() -> {
                Thread.sleep(60); // blocks its loop: the slow step this event is for
                return null;
            }, "blocker").await();
            return null;
        }));
        List<RecordedEvent> steps = of(events, "TaskStep", "blocker");
        assertEquals(1, steps.size(), events::toString);
    }

    @Test
    void withoutARecordingTheHooksLeaveNothingBehind() {
        Object[] stepEvent = {"not read"};
        Asyncio.run(() -> {
            Asyncio.createTask(() -> {
                Asyncio.sleep(0);
                stepEvent[0] = Asyncio.getRunningLoop().engine.flightStep; // in a step, where a recording keeps one
            }).await();
        });
        assertTrue(FlightEvents.AVAILABLE);
        assertNull(stepEvent[0], "no step event is kept while nothing records");
    }
}
