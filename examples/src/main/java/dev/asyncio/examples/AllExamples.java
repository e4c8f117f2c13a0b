package dev.asyncio.examples;

/** Placeholder entry point: runs every example. The core engineer replaces this file. */
public final class AllExamples {
    private AllExamples() {}

    public static void main(String[] args) {
        System.out.println("examples placeholder");
    }
}
