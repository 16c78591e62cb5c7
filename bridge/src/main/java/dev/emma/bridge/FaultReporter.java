package dev.emma.bridge;

/** Where the routing reports what went wrong on a path that must not throw. */
@FunctionalInterface
public interface FaultReporter {

    void report(String what, Throwable cause);
}
