package dev.emma.it.app;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Two threads allocate direct buffers and Unsafe blocks of mixed sizes and hand half of them to
 * each other to free (cross-thread frees), checking every block's content before freeing it.
 */
final class ChurnScenario {

    static final int ITERATIONS = 20_000;

    private ChurnScenario() {
    }

    static void run(boolean emma) throws Exception {
        BlockingQueue<Block> toFirst = new ArrayBlockingQueue<>(1024);
        BlockingQueue<Block> toSecond = new ArrayBlockingQueue<>(1024);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread first = new Thread(() -> churn(1, toSecond, toFirst, emma, failure));
        Thread second = new Thread(() -> churn(2, toFirst, toSecond, emma, failure));
        first.start();
        second.start();
        first.join();
        second.join();
        if (failure.get() != null) {
            throw new AssertionError("a churning thread failed", failure.get());
        }
    }

    private static void churn(int seed, BlockingQueue<Block> outbox, BlockingQueue<Block> inbox, boolean emma,
                              AtomicReference<Throwable> failure) {
        SplittableRandom random = new SplittableRandom(seed);
        try {
            for (int i = 0; i < ITERATIONS && failure.get() == null; i++) {
                int size = random.nextInt(2, random.nextBoolean() ? 512 : 64 * 1024);
                Block block = random.nextBoolean() ? Block.direct(size, i) : Block.unsafe(size, i);
                if (emma) {
                    Check.that(AgentProbe.emmaOwns(block.address()), "a churned block is not Emma's");
                }
                if (random.nextBoolean() && outbox.offer(block)) {
                    // the other thread frees it
                } else {
                    block.checkAndFree();
                }
                Block foreign = inbox.poll();
                if (foreign != null) {
                    foreign.checkAndFree();
                }
            }
            Block left;
            while ((left = inbox.poll()) != null) {
                left.checkAndFree();
            }
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        }
    }

    /** A block marked at both ends. */
    private record Block(ByteBuffer buffer, long unsafeAddress, int size, int mark) {
        static Block direct(int size, int mark) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(size);
            buffer.put(0, (byte) mark).put(size - 1, (byte) ~mark);
            return new Block(buffer, 0, size, mark);
        }

        static Block unsafe(int size, int mark) {
            long address = Memory.unsafe().allocateMemory(size);
            Memory.unsafe().putByte(address, (byte) mark);
            Memory.unsafe().putByte(address + size - 1, (byte) ~mark);
            return new Block(null, address, size, mark);
        }

        long address() {
            return buffer != null ? AgentProbe.address(buffer) : unsafeAddress;
        }

        void checkAndFree() {
            long address = address();
            if (Memory.unsafe().getByte(address) != (byte) mark || Memory.unsafe().getByte(address + size - 1) != (byte) ~mark) {
                throw new AssertionError("a block of " + size + " bytes was overwritten");
            }
            if (buffer != null) {
                Memory.free(buffer);
            } else {
                Memory.unsafe().freeMemory(unsafeAddress);
            }
        }
    }
}
