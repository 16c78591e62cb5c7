package dev.emma.bench.workload;

import dev.emma.Emma;
import org.apache.arrow.memory.AllocationManager;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.OutOfMemoryException;
import org.apache.arrow.memory.ReferenceManager;

/**
 * An Arrow allocation manager on the Emma core's global instance, called directly: what
 * arrow-memory-unsafe's {@code UnsafeAllocationManager} does with {@code Unsafe.allocateMemory} and
 * {@code freeMemory}, with {@code Emma.allocate} and {@code free} instead (the workload's
 * {@code memory=emma} arm, with no agent and no JDK code in between).
 */
final class EmmaArrowAllocationManager extends AllocationManager {

    private static final Emma EMMA = Emma.global();
    /** Arrow's empty buffer, at address 0 as Unsafe's manager has it ({@code allocateMemory(0)} is 0). */
    private static final ArrowBuf EMPTY = new ArrowBuf(ReferenceManager.NO_OP, null, 0, 0);

    static final AllocationManager.Factory FACTORY = new AllocationManager.Factory() {
        @Override
        public AllocationManager create(BufferAllocator accountingAllocator, long size) {
            return new EmmaArrowAllocationManager(accountingAllocator, size);
        }

        @Override
        public ArrowBuf empty() {
            return EMPTY;
        }
    };

    private final long address;
    private final long size;

    private EmmaArrowAllocationManager(BufferAllocator accountingAllocator, long size) {
        super(accountingAllocator);
        long block = EMMA.allocate(size);
        if (block == 0) {
            throw new OutOfMemoryException("Emma could not allocate " + size + " bytes");
        }
        this.address = block;
        this.size = size;
    }

    @Override
    public long getSize() {
        return size;
    }

    @Override
    protected long memoryAddress() {
        return address;
    }

    @Override
    protected void release0() {
        EMMA.free(address);
    }
}
