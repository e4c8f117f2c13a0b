package dev.asyncio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.parallel.Isolated;

/** The I/O examples print what the tutorials promise. */
@Isolated("captures System.out")
class IoExamplesTest {

    private static List<String> output(Runnable example) {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            example.run();
        } finally {
            System.setOut(original);
        }
        return Arrays.asList(bytes.toString(StandardCharsets.UTF_8).split("\\R"));
    }

    @Test
    void echoServerAndClient() {
        assertEquals(List.of("Send: Hello World!", "Server received Hello World! from a client",
                "Received: Hello World!", "Server closed"), output(EchoServerAndClient::run));
    }

    @Test
    void threePagesFetchedConcurrently() {
        assertEquals(List.of(
                "/page/3 -> 200 <html><title>Page 3</title></html>",
                "/page/1 -> 200 <html><title>Page 1</title></html>",
                "/page/2 -> 200 <html><title>Page 2</title></html>",
                "requests in flight at once: 3"), output(FetchPagesConcurrently::run));
    }

    @Test
    void threePagesFetchedConcurrentlyWithWebClient() {
        assertEquals(List.of(
                "/page/3 -> 200 <html><title>Page 3</title></html>",
                "/page/1 -> 200 <html><title>Page 1</title></html>",
                "/page/2 -> 200 <html><title>Page 2</title></html>",
                "requests in flight at once: 3"), output(FetchPagesWithWebClient::run));
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void subprocessOutputLineByLine() {
        assertEquals(List.of("child says: line 1", "child says: line 2", "child says: line 3", "child exited with 0"),
                output(SubprocessLineByLine::run));
    }

    @Test
    void filesReadConcurrentlyWithToThread() {
        assertEquals(List.of("file1.txt: 1000 lines, first: line of file 1", "file2.txt: 2000 lines, first: line of file 2",
                "file3.txt: 3000 lines, first: line of file 3"), output(ReadFilesConcurrently::run));
    }

    @Test
    void databaseQueriesThroughR2dbcAndJdbc() throws Exception {
        QueryDatabase.Outcome o = dev.asyncio.Asyncio.run(QueryDatabase::queries);
        assertEquals(List.of("apple", "pear", "plum"), o.names(), "committed rows, in order");
        assertEquals(3, o.countAfterRollback(), "the rolled-back insert is gone");
        assertEquals(10, o.rowsReadBeforeStop());
        org.junit.jupiter.api.Assertions.assertTrue(o.bigQueryCancelled(), "leaving the loop cancels the query's subscription");
        assertEquals(3, o.countAfterStop(), "the connection serves the next query");
        assertEquals(List.of(2, 3, 4, 3, 2), o.prices(), "gather keeps the order of its coroutines");
        org.junit.jupiter.api.Assertions.assertTrue(o.mostJdbcQueriesAtOnce() >= 1
                && o.mostJdbcQueriesAtOnce() <= QueryDatabase.POOL_SIZE, "JDBC queries at once: " + o.mostJdbcQueriesAtOnce());
        assertEquals(List.of(
                "r2dbc: items [apple, pear, plum], 3 after a commit and a rollback",
                "r2dbc: a large query left after 10 rows, its subscription cancelled; the connection then counted 3 items",
                "jdbc: prices [2, 3, 4, 3, 2] from 5 queries under gather, on a pool of 2 connections"),
                output(QueryDatabase::run).stream().filter(l -> l.startsWith("r2dbc:") || l.startsWith("jdbc:")).toList());
    }
}
