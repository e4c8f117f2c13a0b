package dev.asyncio.examples;

/** Runs every example in turn, each under a heading: the README's first command. */
public final class AllExamples {
    private AllExamples() {
    }

    /** @param args ignored */
    public static void main(String[] args) {
        section("Hello Hello World World in one second (gather)", HelloWorld::run);
        section("fetchData and printNumbers as two tasks (createTask)", FetchAndPrint::run);
        section("sayAfter with getEventLoop / runUntilComplete / close", SayAfter::run);
        section("error handling with try/catch", ErrorHandling::run);
        section("echo server and client over streams", EchoServerAndClient::run);
        section("fetch three web pages concurrently: HttpClient.sendAsync awaited under gather", FetchPagesConcurrently::run);
        section("fetch three web pages concurrently: Spring's WebClient awaited under gather", FetchPagesWithWebClient::run);
        section("a subprocess's output read line by line", SubprocessLineByLine::run);
        section("files read concurrently with toThread", ReadFilesConcurrently::run);
        section("database queries: R2DBC awaited in coroutines, JDBC on a pool via toThread", QueryDatabase::run);
    }

    private static void section(String title, Runnable example) {
        System.out.println();
        System.out.println("== " + title);
        example.run();
    }
}
