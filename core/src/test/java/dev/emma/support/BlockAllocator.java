package dev.emma.support;

/** The operations the stress checker drives: Emma, or a deliberately broken stand-in. */
public interface BlockAllocator {
    long allocate(long size);

    void free(long address);

    /** The bytes the block really spans; the checker tests these ranges for overlap. */
    default long extent(long address, long requested) {
        return requested;
    }
}
