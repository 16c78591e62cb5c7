package dev.emma.it.app;

import java.lang.management.ManagementFactory;

/**
 * Prints the heap bytes its main thread allocated before main: the JVM's start-up and, with an
 * agent, premain (which the JVM runs on this thread). Every such byte is Java heap touched, resident
 * for the life of an idle JVM.
 */
public final class StartupAllocationApp {

    private StartupAllocationApp() {
    }

    public static void main(String[] args) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        System.out.println(threads.getCurrentThreadAllocatedBytes());
    }
}
