package dev.emma.agent.observe;

import java.util.function.Function;

/**
 * Every attribute of the MBean {@code dev.emma:type=Allocator}, with its unit and description (what
 * JConsole, Mission Control and the Prometheus JMX exporter show), and where its value comes from in a
 * reading. One table, so that the MBean, the JFR event and the README cannot drift apart (the MBean's
 * bulk read and the JFR event take their values from here; tests hold the getters, the event's fields
 * and the README to it). Names are a contract (A/B runners read them).
 *
 * <p>Exactness: in emma mode the Emma figures come from the core's per-heap counters (exact, a moment
 * old); in passthrough mode the whole-process native figures are estimates from a size-weighted
 * sample ({@code SampledBlocks}: exact for blocks of 64 KiB and more; for smaller ones a standard
 * error of about {@code sqrt(64 KiB x bytes)}, 6 % of 16 MiB, 1.6 % of 256 MiB); the direct-buffer and FFM figures are
 * exact in both modes.
 */
enum Attribute {
    EMMA_SHARE("EmmaShare", "fraction", "Share of the Java-level off-heap bytes allocated since the agent started that Emma"
            + " served: EmmaBytes / (EmmaBytes + NativeBytes), 0..1. 0 in passthrough mode",
            AllocatorReading::emmaShare),
    EMMA_BYTES("EmmaBytes", "bytes", "Bytes Emma handed out since it started (usable bytes of its size classes; blocks over"
            + " 1 MiB and blocks in a mapping of their own as requested). A reallocation counts its new size, as in"
            + " passthrough mode (one moved into a size class as that class's block)", AllocatorReading::emmaBytes),
    NATIVE_BYTES("NativeBytes", "bytes", "Java-level off-heap bytes that stayed with the native allocator since the agent"
            + " started: NativeBytesBeforeActivation, fallbacks, Linker allocations out of scope (UncoveredBytes), and in"
            + " passthrough mode every allocation (estimated). Requested bytes", AllocatorReading::nativeBytes),
    NATIVE_BYTES_BEFORE_ACTIVATION("NativeBytesBeforeActivation", "bytes", "Bytes of direct buffers and FFM arenas live"
            + " when the agent became active (the JDK's direct pool then): allocated natively, freed natively",
            AllocatorReading::nativeBytesBeforeActivation),
    UNCOVERED_BYTES("UncoveredBytes", "bytes", "Bytes allocated through FFM Linker downcalls to libc's allocator by callers"
            + " outside the linker option's scope: they stay native", AllocatorReading::uncoveredBytes),
    LIVE_BYTES("LiveBytes", "bytes", "emma: bytes in Emma's live blocks (usable). passthrough: requested bytes of live native"
            + " blocks allocated while active (estimated)", AllocatorReading::liveBytes),
    LIVE_ALLOCATIONS("LiveAllocations", "blocks", "Live blocks, counted as LiveBytes",
            AllocatorReading::liveAllocations),
    MAPPED_BYTES("MappedBytes", "bytes", "Bytes Emma has mapped (0 in passthrough: the native allocator's are not visible)",
            AllocatorReading::mappedBytes),
    RESIDENT_BYTES("ResidentBytes", "bytes", "Bytes of Emma's mappings resident in RAM (mincore); 0 in passthrough",
            AllocatorReading::residentBytes),
    RETURNED_BYTES("ReturnedBytes", "bytes", "Bytes Emma gave back to the OS (madvise or munmap of memory no block"
            + " used) since it started; a page given back again (a whole segment retired, some of its pages madvised"
            + " before) counts again; 0 in passthrough", AllocatorReading::returnedBytes),
    RETURN_FAILURES("ReturnFailures", "purges", "Purges in which the kernel refused a madvise or munmap that gives"
            + " memory back: Emma kept that memory and tries again later. The first is logged at WARNING; 0 in passthrough",
            AllocatorReading::returnFailures),
    TOTAL_ALLOCATIONS("TotalAllocations", "allocations", "Allocations since activation, every route (passthrough: estimated)",
            AllocatorReading::totalAllocations),
    TOTAL_REALLOCATIONS("TotalReallocations", "reallocations", "Reallocations of live blocks since activation",
            AllocatorReading::totalReallocations),
    TOTAL_FREES("TotalFrees", "frees", "Frees since activation (emma: Emma's and foreign ones; passthrough: of blocks"
            + " allocated while active, estimated)", AllocatorReading::totalFrees),
    FOREIGN_FREES("ForeignFrees", "frees", "Frees of memory Emma did not hand out (allocated before activation or by other"
            + " code), passed to the native allocator; counted in emma mode", AllocatorReading::foreignFrees),
    FALLBACKS("Fallbacks", "allocations", "Allocations Emma could not serve, served natively instead (the first is logged"
            + " at WARNING with its cause)", AllocatorReading::fallbacks),
    FAILED_FREES("FailedFrees", "frees", "Frees of Emma memory that Emma rejected (a double free); the block was left alone",
            AllocatorReading::failedFrees),
    DIRECT_BUFFER_ALLOCATIONS("DirectBufferAllocations", "allocations", "ByteBuffer.allocateDirect allocations since"
            + " activation (exact)", AllocatorReading::directBufferAllocations),
    DIRECT_BUFFER_LIVE_BYTES("DirectBufferLiveBytes", "bytes", "Bytes of live direct buffers allocated since activation"
            + " (exact, as the JDK reserves them; after a dynamic attach the frees of older buffers lower it too, never below 0)", AllocatorReading::directBufferLiveBytes),
    FFM_ALLOCATIONS("FfmAllocations", "allocations", "FFM arena allocations since activation (exact)",
            AllocatorReading::ffmAllocations),
    FFM_LIVE_BYTES("FfmLiveBytes", "bytes", "Bytes of live FFM arena blocks allocated since activation"
            + " (exact; after a dynamic attach the frees of older blocks lower it too, never below 0)",
            AllocatorReading::ffmLiveBytes),
    LINKER_ALLOCATIONS("LinkerAllocations", "allocations", "Routed FFM Linker downcalls to libc's allocator"
            + " (malloc, calloc, ...) since activation", AllocatorReading::linkerAllocations),
    LINKER_LIVE_BYTES("LinkerLiveBytes", "bytes", "Bytes of live blocks from routed Linker downcalls (emma: Emma's usable"
            + " bytes; passthrough: estimated)", AllocatorReading::linkerLiveBytes),
    UNSAFE_ALLOCATIONS("UnsafeAllocations", "allocations", "sun.misc.Unsafe.allocateMemory: the application's and its"
            + " libraries' own calls (emma: TotalAllocations less the other routes; passthrough: estimated)",
            AllocatorReading::unsafeAllocations),
    UNSAFE_LIVE_BYTES("UnsafeLiveBytes", "bytes", "Live bytes of sun.misc.Unsafe blocks (emma: LiveBytes less the direct,"
            + " FFM and Linker routes, so the JDK's own blocks too, usable and requested bytes mixed; passthrough: estimated)",
            AllocatorReading::unsafeLiveBytes),
    JDK_INTERNAL_ALLOCATIONS("JdkInternalAllocations", "allocations", "The JDK's own calls to its internal Unsafe for"
            + " itself (NIO's native buffers for paths, socket addresses, I/O vectors, selectors), apart from the"
            + " application's (passthrough: estimated)", AllocatorReading::jdkInternalAllocations),
    JDK_INTERNAL_BYTES("JdkInternalBytes", "bytes", "Requested bytes of those allocations since activation",
            AllocatorReading::jdkInternalBytes);

    final String attributeName;
    final String unit;
    final String description;
    /** The attribute's value in a reading: a Double for EmmaShare, a Long for every other. */
    final Function<AllocatorReading, ?> value;

    Attribute(String attributeName, String unit, String description, Function<AllocatorReading, ?> value) {
        this.attributeName = attributeName;
        this.unit = unit;
        this.description = description;
        this.value = value;
    }

    static Attribute named(String attributeName) {
        for (Attribute attribute : values()) {
            if (attribute.attributeName.equals(attributeName)) {
                return attribute;
            }
        }
        return null;
    }
}
