package dev.emma.it.app;

import dev.emma.Emma;
import java.nio.ByteBuffer;

/**
 * Names the core before anything else (in its static initializer), with emma-core on its own
 * class path too: it must still get the one copy the agent defined in the bootstrap loader, the
 * instance that serves the JDK. Prints one {@code key: value} line per fact.
 */
public final class EarlyCoreApp {

    private static final Class<?> CORE = Emma.class; // resolved when this class initializes, before main

    private EarlyCoreApp() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("loader: " + CORE.getClassLoader());
        System.out.println("module: " + CORE.getModule().getName());
        System.out.println("same class from the system loader: " + (Class.forName("dev.emma.Emma", false, ClassLoader.getSystemClassLoader()) == CORE));
        ByteBuffer first = ByteBuffer.allocateDirect(100); // the first direct buffer of main
        System.out.println("first direct buffer is Emma's: " + Emma.global().owns(AgentProbe.address(first)));
        System.out.println("one global instance: " + (Emma.global() == Emma.global()));
    }
}
