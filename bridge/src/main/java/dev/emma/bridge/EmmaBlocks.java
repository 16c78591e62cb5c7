package dev.emma.bridge;

import dev.emma.Emma;
import jdk.internal.vm.annotation.DontInline;

/**
 * The one door from the JDK's allocation methods into the core, and a deliberate compilation
 * boundary: every method is {@code @DontInline}. The two hottest calls, the application's
 * {@code allocateMemory} and {@code freeMemory}, cross it only while allocation sampling is on:
 * otherwise {@link DoorCalls} enters the core through constant method handles, which C2 inlines into
 * the caller at the depth the core has when called directly.
 *
 * <p>Why: each raw memory access of the core ({@code Memory.getLong} → {@code MemorySegment.get}
 * → VarHandle guard → segment checks → {@code Unsafe}) is about nine frames deep, and its last
 * frames ({@code NativeMemorySegmentImpl.maxAlignMask}, {@code Unsafe.getLongUnaligned}) are only
 * fast when C2 inlines them. C2 stops inlining at {@code MaxInlineLevel} (15) frames below the
 * method it compiles. Reached through {@code Unsafe.allocateMemory}, the core sits five frames
 * deeper than when called directly (sun.misc.Unsafe, jdk.internal.misc.Unsafe with its advice,
 * Bridge, Router, this class), so the cut fell inside those access chains: a real call and a
 * bounds/alignment check per access ({@code -XX:+PrintInlining}: "inlining too deep" at
 * {@code maxAlignMask} and {@code Unsafe.getLongUnaligned}). Here each method is compiled on its
 * own, with the core's whole fast path inlined from a fresh depth of zero, whatever the depth of
 * the JDK code that called it; the price is one ordinary call per operation.
 *
 * <p>The annotation is the JDK's own and is honoured only for classes of the bootstrap (or
 * platform) loader, which is where the agent defines this class; loaded elsewhere (unit tests)
 * it is ignored and the class behaves the same, only compiled differently.
 *
 * <p>Allocation sampling of Emma's blocks ({@link SampleHook}) is checked here too, behind the
 * boundary, where it changes nothing the JDK caller's compilation sees: on JMH's pair benchmark
 * through the agent the same check (a field load and a branch) in {@link Router}, which is inlined
 * into the JDK's methods, measured about 3 % slower, and here no slower than without it (agent
 * README, "Allocation sites").
 *
 * <p>Nothing here catches: the {@link Router} decides what a failure means on each path (the
 * sampling hook never throws).
 */
public final class EmmaBlocks implements BlockAllocator {

    private final Emma emma;
    /** Off (null) by default; read once per operation. */
    private volatile SampleHook sampling;

    public EmmaBlocks(Emma emma) {
        this.emma = emma;
    }

    public Emma emma() {
        return emma;
    }

    @Override
    public void sampling(SampleHook hook) {
        sampling = hook;
        DoorCalls.resample(this); // the door's calls skip this class while sampling is off
    }

    boolean isSampling() {
        return sampling != null;
    }

    @Override
    @DontInline
    public long allocate(long size) {
        return sampled(emma.allocate(size), size);
    }

    @Override
    @DontInline
    public long allocateZeroed(long size) {
        return sampled(emma.allocateZeroed(size), size);
    }

    @Override
    @DontInline
    public long allocateAligned(long size, long alignment) {
        return sampled(emma.allocate(size, alignment), size);
    }

    @Override
    @DontInline
    public long reallocate(long address, long newSize) {
        SampleHook hook = sampling;
        if (hook != null) {
            hook.freed(address); // before Emma may hand the address to another thread
        }
        return sampled(emma.reallocate(address, newSize), newSize);
    }

    @Override
    @DontInline
    public boolean free(long address) {
        SampleHook hook = sampling;
        if (hook == null) {
            return emma.freeIfOwned(address); // one ownership look-up for the check and the free
        }
        if (!emma.owns(address)) {
            return false;
        }
        hook.freed(address); // before Emma may hand the address to another thread
        emma.free(address);
        return true;
    }

    @Override
    @DontInline
    public boolean owns(long address) {
        return emma.owns(address);
    }

    @Override
    @DontInline
    public long usableSize(long address) {
        return emma.usableSize(address);
    }

    /** The route is left to the sampler, which reads it from the stack (which bridge door was entered). */
    private long sampled(long address, long size) {
        SampleHook hook = sampling;
        if (hook != null && address != 0) {
            hook.allocated(address, size, Route.JDK, true);
        }
        return address;
    }
}
