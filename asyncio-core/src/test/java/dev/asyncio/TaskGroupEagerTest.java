package dev.asyncio;

/** Every {@link TaskGroupTest} case again with eager task start (CPython's TestEagerTaskTaskGroup). */
class TaskGroupEagerTest extends TaskGroupTest {
    @Override
    boolean eager() {
        return true;
    }
}
