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
 * <p>Why call sites: their targets are constants to C2, so the plain targets carry no check of
 * allocation sampling at all. While sampling is on, the targets are {@link EmmaBlocks}' own methods,
 * which hand each block to the hook. {@code setTarget} deoptimizes the compiled code that folded the
 * old target; {@link MutableCallSite#syncAll} is only a store fence in JDK 25, so a call already in
 * flight, or running in the interpreter, may take the old target for a moment. The switch's order
 * makes that harmless: sampling on, the free follows the hook first (a free of a block that was
 * never sampled is ignored by the hook), then the allocation; sampling off, the allocation stops
 * sampling first. So no sampled block is freed past the hook.
 *
 * <p>The sites' first targets take this class's lock and call the door's blocks: a thread that sees
 * the door open ({@code Bridge.door}, a plain read) before it sees the targets set here (a CPU with
 * weaker ordering than x86) still reaches Emma, never an uninitialized call site.
 */
final class DoorCalls {

    private static final MethodType ALLOCATE_TYPE = MethodType.methodType(long.class, long.class);
    private static final MethodType FREE_TYPE = MethodType.methodType(boolean.class, long.class);
    private static final MutableCallSite ALLOCATE_SITE = new MutableCallSite(first("allocateAtDoor", ALLOCATE_TYPE));
    private static final MutableCallSite FREE_SITE = new MutableCallSite(first("freeAtDoor", FREE_TYPE));
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
        try {
            if (blocks.isSampling()) {
                FREE_SITE.setTarget(lookup.findVirtual(EmmaBlocks.class, "free", FREE_TYPE).bindTo(blocks));
                ALLOCATE_SITE.setTarget(lookup.findVirtual(EmmaBlocks.class, "allocate", ALLOCATE_TYPE).bindTo(blocks));
            } else {
                ALLOCATE_SITE.setTarget(lookup.findVirtual(Emma.class, "allocate", ALLOCATE_TYPE).bindTo(blocks.emma()));
                FREE_SITE.setTarget(lookup.findVirtual(Emma.class, "freeIfOwned", FREE_TYPE).bindTo(blocks.emma()));
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the door's method handles", e); // public methods: cannot happen
        }
        MutableCallSite.syncAll(new MutableCallSite[] {ALLOCATE_SITE, FREE_SITE});
    }

    private static MethodHandle first(String name, MethodType type) {
        try {
            return MethodHandles.lookup().findStatic(DoorCalls.class, name, type);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e); // our own methods: cannot happen
        }
    }

    /** The first target of {@link #ALLOCATE}, see the class comment. */
    private static long allocateAtDoor(long size) {
        return opened().allocate(size);
    }

    /** The first target of {@link #FREE}, see the class comment. */
    private static boolean freeAtDoor(long address) {
        return opened().free(address);
    }

    private static synchronized EmmaBlocks opened() {
        if (open == null) {
            throw new IllegalStateException("the door's calls were made before it opened"); // callers fall back
        }
        return open;
    }
}
