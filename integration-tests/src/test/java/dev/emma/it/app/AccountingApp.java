package dev.emma.it.app;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints what the JDK's own direct-memory accounting says about a fixed workload: the
 * BufferPoolMXBean("direct") deltas and the OutOfMemoryError past -XX:MaxDirectMemorySize. The
 * same lines must come out with and without the agent.
 */
public final class AccountingApp {

    private AccountingApp() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("wait") && !AgentProbe.awaitActive(60_000)) {
            System.err.println("the agent did not activate");
            System.exit(3);
        }
        BufferPoolMXBean pool = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(p -> p.getName().equals("direct")).findFirst().orElseThrow();
        long count = pool.getCount();
        long capacity = pool.getTotalCapacity();
        long used = pool.getMemoryUsed();
        List<ByteBuffer> buffers = new ArrayList<>();
        for (int size : new int[] {1, 100, 4096, 65_536, 300_000}) {
            buffers.add(ByteBuffer.allocateDirect(size));
        }
        System.out.println("pool after allocating: count +" + (pool.getCount() - count) + " capacity +"
                + (pool.getTotalCapacity() - capacity) + " used +" + (pool.getMemoryUsed() - used));
        buffers.forEach(Memory::free);
        System.out.println("pool after freeing: count +" + (pool.getCount() - count) + " capacity +"
                + (pool.getTotalCapacity() - capacity) + " used +" + (pool.getMemoryUsed() - used));
        try {
            ByteBuffer.allocateDirect(2 << 20);
            System.out.println("no OutOfMemoryError past MaxDirectMemorySize");
        } catch (OutOfMemoryError e) {
            System.out.println("OutOfMemoryError: " + e.getMessage());
        }
    }
}
