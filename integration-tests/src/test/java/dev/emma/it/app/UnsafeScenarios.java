package dev.emma.it.app;

/** {@code sun.misc.Unsafe} (obtained by reflection, as libraries do) through the agent. */
final class UnsafeScenarios {

    /** Crosses Emma's size classes: small, medium, large and huge blocks, growing then shrinking. */
    static final long[] REALLOCATION_SIZES = {16, 100, 5000, 300_000, 2 << 20, 9 << 20, 24, 1 << 20, 8};

    private UnsafeScenarios() {
    }

    static void allocateReallocateFree(boolean emma) {
        sun.misc.Unsafe unsafe = Memory.unsafe();
        long allocationsBefore = AgentProbe.attribute("UnsafeAllocations");
        long reallocationsBefore = AgentProbe.attribute("TotalReallocations");
        long jdkBefore = AgentProbe.attribute("JdkInternalAllocations");
        long size = 8;
        long address = unsafe.allocateMemory(size);
        checkOwned(emma, address, size);
        Memory.fill(address, size, 1);
        for (long newSize : REALLOCATION_SIZES) {
            long kept = Math.min(size, newSize);
            address = unsafe.reallocateMemory(address, newSize);
            checkOwned(emma, address, newSize);
            Memory.checkFilled(address, kept, 1, "reallocation from " + size + " to " + newSize + " bytes");
            Memory.fill(address, newSize, 1);
            size = newSize;
        }
        Check.equal(0, unsafe.reallocateMemory(address, 0), "reallocateMemory(address, 0)");
        long fresh = unsafe.reallocateMemory(0, 64);
        checkOwned(emma, fresh, 64);
        unsafe.freeMemory(fresh);
        long reallocated = AgentProbe.attribute("TotalReallocations") - reallocationsBefore;
        Check.that(reallocated >= REALLOCATION_SIZES.length, "TotalReallocations grew by " + reallocated);
        if (emma) { // passthrough estimates allocation counts from a sample: small blocks are rarely in it
            long counted = AgentProbe.attribute("UnsafeAllocations") - allocationsBefore;
            Check.that(counted >= 2, "UnsafeAllocations grew by " + counted + " for 2 allocations");
            long jdk = AgentProbe.attribute("JdkInternalAllocations") - jdkBefore;
            Check.that(jdk < 2, "the application's sun.misc.Unsafe allocations were counted as the JDK's own: " + jdk);
        }
    }

    /** The JDK's own answers for sizes 0 and below and for address 0 are unchanged. */
    static void edgeCases() {
        sun.misc.Unsafe unsafe = Memory.unsafe();
        Check.equal(0, unsafe.allocateMemory(0), "allocateMemory(0)");
        unsafe.freeMemory(0);
        try {
            unsafe.allocateMemory(-1);
            throw new AssertionError("allocateMemory(-1) did not throw");
        } catch (IllegalArgumentException expected) {
            // the JDK's own check
        }
        long address = unsafe.allocateMemory(32);
        try {
            unsafe.reallocateMemory(address, -1);
            throw new AssertionError("reallocateMemory(address, -1) did not throw");
        } catch (IllegalArgumentException expected) {
            // the JDK's own check
        }
        unsafe.freeMemory(address);
    }

    private static void checkOwned(boolean emma, long address, long size) {
        Check.that(address != 0, "no address for " + size + " bytes");
        if (emma) {
            Check.that(AgentProbe.emmaOwns(address), "a block of " + size + " bytes is not Emma's");
        }
    }
}
