package dev.asyncio.examples;

import static dev.asyncio.Asyncio.createTask;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.Asyncio;
import dev.asyncio.EventLoop;
import dev.asyncio.SlowCallback;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The JDK-HttpClient fetch example against a real loopback server. */
class FetchPagesConcurrentlyTest {

    @Test
    void sendAsyncAwaitedUnderGatherHasEveryRequestInFlightAtOnce() {
        try (PageServer server = PageServer.start(3); HttpClient client = HttpClient.newHttpClient()) {
            List<URI> pages = List.of(server.page(3), server.page(1), server.page(2));
            List<String> results = Asyncio.run(() -> FetchPagesConcurrently.fetchAll(client, pages));
            assertEquals(List.of("200 <html><title>Page 3</title></html>", "200 <html><title>Page 1</title></html>",
                    "200 <html><title>Page 2</title></html>"), results);
            // The server held every answer until all three requests had arrived: they overlapped.
            assertEquals(3, server.maxInFlight());
        }
    }

    /**
     * The blocking {@code HttpClient.send} in a coroutine holds the loop's turn: a task created before it does not
     * run while the response is outstanding, and debug mode reports the stuck task, naming the call in its stack.
     * The server holds the response until a second request arrives, which the report's listener sends: so the
     * stall ends exactly when debug mode has spoken, and nothing depends on timing.
     */
    @Test
    void blockingSendStallsTheLoopAndDebugModeNamesIt() {
        ConcurrentLinkedQueue<SlowCallback> reports = new ConcurrentLinkedQueue<>();
        AtomicBoolean otherTaskRanWhileStuck = new AtomicBoolean();
        AtomicBoolean otherTaskRan = new AtomicBoolean();
        AtomicBoolean released = new AtomicBoolean();
        try (PageServer server = PageServer.start(2); HttpClient client = HttpClient.newHttpClient();
                EventLoop loop = new EventLoop()) {
            loop.setDebug(true);
            loop.setSlowCallbackDuration(Duration.ofMillis(40));
            loop.setSlowCallbackListener(report -> {
                reports.add(report);
                if (report.inProgress() && "fetch page 1".equals(report.taskName()) && released.compareAndSet(false, true)) {
                    otherTaskRanWhileStuck.set(otherTaskRan.get());
                    client.sendAsync(HttpRequest.newBuilder(server.page(2)).build(), HttpResponse.BodyHandlers.discarding());
                }
            });
            String body = loop.runUntilComplete(() -> createTask(() -> {
                createTask(() -> otherTaskRan.set(true), "other");
                // The mistake this test is about: a blocking call inside a coroutine.
                return client.send(HttpRequest.newBuilder(server.page(1)).build(), HttpResponse.BodyHandlers.ofString()).body();
            }, "fetch page 1").await());
            assertEquals("<html><title>Page 1</title></html>", body);
            assertTrue(otherTaskRan.get(), "the other task ran once the send had returned");
        }
        assertTrue(released.get(), () -> "debug mode reported the task while send was stuck: " + reports);
        assertFalse(otherTaskRanWhileStuck.get(), "nothing else on the loop ran while send held the turn");
        SlowCallback report = reports.stream()
                .filter(r -> r.inProgress() && "fetch page 1".equals(r.taskName())).findFirst().orElseThrow();
        assertTrue(report.toString().contains("Task 'fetch page 1' has held the event loop for"), report::toString);
        assertTrue(report.stack().stream().anyMatch(e -> e.getMethodName().equals("send")
                && e.getClassName().startsWith("jdk.internal.net.http.")), () -> "the stack names HttpClient.send: " + report);
    }
}
