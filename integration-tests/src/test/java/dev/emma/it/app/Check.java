package dev.emma.it.app;

/** Assertions for code that runs in a child JVM, where JUnit is absent. */
final class Check {

    private Check() {
    }

    static void that(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }

    static void equal(long expected, long actual, String what) {
        if (expected != actual) {
            throw new AssertionError(what + ": expected " + expected + ", was " + actual);
        }
    }
}
