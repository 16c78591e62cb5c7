package dev.emma.it.app;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import javax.management.ObjectName;

/**
 * Allocates most of its off-heap bytes from one method ({@link #hog}), less from an FFM arena
 * ({@link #arena}) and from {@code sun.misc.Unsafe} ({@link #unsafe}), churns small direct buffers,
 * then prints what the MBean operation {@code topSites(5)} answers and exits (the agent prints its
 * exit report on stderr).
 */
public final class SitesApp {

    public static final int HOG_BUFFERS = 64;
    public static final int BLOCK = 256 * 1024;
    private static final List<Object> LIVE = new ArrayList<>();

    private SitesApp() {
    }

    public static void main(String[] args) throws Exception {
        if (!AgentProbe.awaitActive(60_000)) {
            System.err.println("the agent did not activate");
            System.exit(3);
        }
        hog();
        Arena arena = Arena.ofShared();
        arena(arena);
        unsafe();
        churn();
        Object top = ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName(AgentProbe.OBJECT_NAME), "topSites",
                new Object[] {5}, new String[] {"int"});
        System.out.print(top);
    }

    private static void hog() {
        for (int i = 0; i < HOG_BUFFERS; i++) {
            LIVE.add(ByteBuffer.allocateDirect(BLOCK));
        }
    }

    private static void arena(Arena arena) {
        for (int i = 0; i < 8; i++) {
            MemorySegment segment = arena.allocate(BLOCK);
            LIVE.add(segment);
        }
    }

    private static void unsafe() {
        for (int i = 0; i < 4; i++) {
            LIVE.add(Memory.unsafe().allocateMemory(BLOCK));
        }
    }

    private static void churn() {
        long sum = 0;
        for (int i = 0; i < 2000; i++) {
            sum += ByteBuffer.allocateDirect(1024).capacity();
        }
        LIVE.add(sum);
    }
}
