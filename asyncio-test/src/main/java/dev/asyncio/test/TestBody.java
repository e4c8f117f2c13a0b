package dev.asyncio.test;

/**
 * The body of a test run by {@link TestLoops#runTest(TestBody)}: a coroutine that receives its
 * {@link TestLoop}, to read and move virtual time.
 */
@FunctionalInterface
public interface TestBody {
    /**
     * Runs the test, as a coroutine on {@code testLoop}'s loop.
     *
     * @param testLoop the loop the test runs on
     * @throws Exception any exception, which fails the test
     */
    void run(TestLoop testLoop) throws Exception;
}
