package dev.emma.agent.install;

import java.io.IOException;
import java.util.List;

/**
 * Where advice comes from: a {@link Patch} made at build time when it fits the running JDK, else
 * Byte Buddy at run time. Byte Buddy's machinery is created only when a patch does not fit.
 */
final class Weaving {

    private final ClassLoader agentClasses;
    private final Patches patches;
    private final WeaverJar weaverJar;
    private AdviceWeaver byteBuddy; // guarded by this

    /** @param patches the build-time patches ({@link Patches#none()} while building them) */
    Weaving(ClassLoader agentClasses, Patches patches) {
        this(agentClasses, patches, WeaverJar.onClassPath());
    }

    Weaving(ClassLoader agentClasses, Patches patches, WeaverJar weaverJar) {
        this.agentClasses = agentClasses;
        this.patches = patches;
        this.weaverJar = weaverJar;
    }

    /** Before any class that names Byte Buddy (its ASM included) is used, see {@link WeaverJar}. */
    void openWeaver() throws IOException {
        weaverJar.open();
    }

    /** Whether {@link #openWeaver} succeeded: Byte Buddy can be used. */
    boolean weaverOpen() {
        return weaverJar.isOpen();
    }

    /** The build-time result this class last got from {@link #exactPatch}, read again; or null. */
    byte[] exactPatchBefore(String className) {
        return patches.wovenBefore(className);
    }

    /** The build-time result for exactly these bytes of this class, or null. */
    byte[] exactPatch(String className, byte[] received) {
        return patches.wovenFor(className, received);
    }

    /** The JDK classes that retransforming this class loads, as the build found them on this JDK; else none. */
    List<String> loadsOf(String className) {
        return patches.loadsOf(className, Patches.jdkVersion());
    }

    /** The build-time method patch of a class, or null. */
    Patch patchFor(String className) {
        return patches.methodPatch(className);
    }

    synchronized AdviceWeaver byteBuddy() {
        if (byteBuddy == null) {
            byteBuddy = new AdviceWeaver(agentClasses);
        }
        return byteBuddy;
    }

    /** Whether Byte Buddy had to weave at run time (a patch missing or not fitting this JDK). */
    synchronized boolean usedByteBuddy() {
        return byteBuddy != null;
    }
}
