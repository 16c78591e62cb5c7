package dev.emma.bridge;

import dev.emma.Emma;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.MutableCallSite;

/**
 * The door's two hot calls ({@link Bridge#door}: the application's {@code allocateMemory} and
 * {@code freeMemory}) as constant method handles, so that the core's fast path is inlined into the
 * caller's loop as when the core is called directly.
 *
 * <p>Why handles: C2 inlines a plain method only within {@code MaxInlineLevel} (15) frames of the
 * method it compiles, and each raw access of the core ends in plain JDK methods about eight frames
 * below {@code Memory} (docs/architecture.md, "Call depth"). C2 does not count the frames of
 * {@code java.lang.invoke}'s adapters, so the core entered through a constant handle sits one frame
 * below {@link AppUnsafe}, as if the caller had called it directly, and without {@link EmmaBlocks}'
 * {@code @DontInline} boundary: its fast path is inlined into the caller's loop, and its thread-heap
 * look-up and per-class loads are hoisted out of it, as for the core called directly. With the
 * core's raw accesses three frames below {@code Emma.allocate} and {@code Emma.freeIfOwned}, that
 * holds for a caller that reaches {@code sun.misc.Unsafe} through four frames of its own helpers
 * ({@code DeepCallerBenchmark}). Deeper still, C2 cuts the chain as it would the core called
 * directly; the boundary would then have kept one ordinary call per operation.
 *
 * <p>Why call sites: their targets are constants to C2 (a change deoptimizes the code that folded
 * them), so the plain targets carry no check of allocation sampling at all. While sampling is on,
 * the targets are {@link EmmaBlocks}' own methods, which hand each block to the hook; switching
 * waits for {@link MutableCallSite#syncAll}, so every later call sees it, as with a volatile read.
 */
final class DoorCalls {

    private static final MutableCallSite ALLOCATE_SITE = new MutableCallSite(MethodType.methodType(long.class, long.class));
    private static final MutableCallSite FREE_SITE = new MutableCallSite(MethodType.methodType(boolean.class, long.class));
    /** {@code (long size) -> address}: {@link Emma#allocate(long)} of the door's blocks. Only once the door is open. */
    static final MethodHandle ALLOCATE = ALLOCATE_SITE.dynamicInvoker();
    /** {@code (long address) -> freed}: {@link Emma#freeIfOwned(long)} of the door's blocks. Only once the door is open. */
    static final MethodHandle FREE = FREE_SITE.dynamicInvoker();

    private static EmmaBlocks open; // guarded by DoorCalls.class

    private DoorCalls() {
    }

    /** Points the calls at {@code blocks}, before the door opens; once, as the door. */
    static synchronized void open(EmmaBlocks blocks) {
        if (open == null) {
            open = blocks;
            retarget(blocks);
        }
    }

    /** {@code blocks} started or stopped sampling: the calls follow if they point at it. */
    static synchronized void resample(EmmaBlocks blocks) {
        if (open == blocks) {
            retarget(blocks);
        }
    }

    private static void retarget(EmmaBlocks blocks) {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        MethodType allocate = MethodType.methodType(long.class, long.class);
        MethodType free = MethodType.methodType(boolean.class, long.class);
        try {
            if (blocks.isSampling()) {
                ALLOCATE_SITE.setTarget(lookup.findVirtual(EmmaBlocks.class, "allocate", allocate).bindTo(blocks));
                FREE_SITE.setTarget(lookup.findVirtual(EmmaBlocks.class, "free", free).bindTo(blocks));
            } else {
                ALLOCATE_SITE.setTarget(lookup.findVirtual(Emma.class, "allocate", allocate).bindTo(blocks.emma()));
                FREE_SITE.setTarget(lookup.findVirtual(Emma.class, "freeIfOwned", free).bindTo(blocks.emma()));
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the door's method handles", e); // public methods: cannot happen
        }
        MutableCallSite.syncAll(new MutableCallSite[] {ALLOCATE_SITE, FREE_SITE});
    }
}
