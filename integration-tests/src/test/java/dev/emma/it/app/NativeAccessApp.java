package dev.emma.it.app;

import java.nio.ByteBuffer;

/** Prints whether the application's own (class-path) code has native access, after Emma has certainly made its FFM calls. */
public final class NativeAccessApp {

    private NativeAccessApp() {
    }

    public static void main(String[] args) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(4096); // with the agent, Emma starts here: its Linker calls happen now
        buffer.put(0, (byte) 1);
        System.out.println("class path native access: " + NativeAccessApp.class.getModule().isNativeAccessEnabled());
    }
}
