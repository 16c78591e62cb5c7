package dev.emma.it.app;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The kernel refuses to give back memory the application locked: a thread allocates and frees
 * blocks through {@code Unsafe} (Emma's, through the agent) after {@code mlock}ing the page of
 * one, and ends; Emma's purger then madvises that page, which fails with EINVAL. Prints
 * {@code failures-seen}, then, after {@code munlock}, {@code returned-after-unlock}; or
 * {@code mlock-refused <rc>} where the process may not lock memory.
 */
public final class ReturnFailureApp {

    private static final long PAGE = 4096;

    public static void main(String[] args) throws Throwable {
        Check.that(AgentProbe.awaitActive(30_000), "the agent did not become active");
        Linker linker = Linker.nativeLinker();
        FunctionDescriptor rangeCall = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);
        MethodHandle mlock = linker.downcallHandle(linker.defaultLookup().find("mlock").orElseThrow(), rangeCall);
        MethodHandle munlock = linker.downcallHandle(linker.defaultLookup().find("munlock").orElseThrow(), rangeCall);
        sun.misc.Unsafe unsafe = Memory.unsafe();
        long[] lockedPage = new long[1];
        int[] rc = new int[1];
        Thread worker = new Thread(() -> {
            long[] blocks = new long[256];
            for (int i = 0; i < blocks.length; i++) {
                blocks[i] = unsafe.allocateMemory(1024);
                unsafe.setMemory(blocks[i], 1024, (byte) 1);
            }
            Check.that(AgentProbe.emmaOwns(blocks[0]), "the blocks are Emma's");
            lockedPage[0] = blocks[0] & -PAGE;
            try {
                rc[0] = (int) mlock.invokeExact(lockedPage[0], PAGE);
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
            for (long block : blocks) {
                unsafe.freeMemory(block);
            }
        });
        worker.start();
        worker.join();
        if (rc[0] != 0) {
            System.out.println("mlock-refused " + rc[0]);
            return;
        }
        awaitAttribute("ReturnFailures", 1, "a purge failed on the locked page");
        System.out.println("failures-seen");

        Check.that((int) munlock.invokeExact(lockedPage[0], PAGE) == 0, "munlock failed");
        long failures = AgentProbe.attribute("ReturnFailures");
        long returned = AgentProbe.attribute("ReturnedBytes");
        awaitAttribute("ReturnedBytes", returned + PAGE, "the page went back once unlocked");
        Thread.sleep(500); // some purges, all working now
        long after = AgentProbe.attribute("ReturnFailures");
        Check.that(after <= failures + 1, "failures went on after munlock: " + failures + " -> " + after);
        System.out.println("returned-after-unlock");
    }

    private static void awaitAttribute(String name, long atLeast, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (AgentProbe.attribute(name) < atLeast) {
            Check.that(System.nanoTime() < deadline, "not within 30 s: " + what + " (" + name + "=" + AgentProbe.attribute(name) + ")");
            Thread.sleep(20);
        }
    }
}
