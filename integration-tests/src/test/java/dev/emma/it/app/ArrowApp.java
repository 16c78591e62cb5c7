package dev.emma.it.app;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.arrow.memory.AllocationManager;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Apache Arrow as an application uses it, through the agent: record batches of 1M rows built in a
 * {@code RootAllocator} on one of Arrow's allocation managers ({@code unsafe}: arrow-memory-unsafe,
 * {@code sun.misc.Unsafe.allocateMemory}; {@code netty}: arrow-memory-netty, Netty's pooled
 * allocator, and Unsafe above its chunk size), written as an IPC stream, read back, every value
 * checked, and every vector's data buffer checked to be Emma's in emma mode and not in passthrough.
 * The child JVM's class path holds only that manager's jars.
 *
 * <p>Output: {@code arrow <manager> mode=<mode> rows=<n> batches=<n> ipcBytes=<n>}, then
 * {@code buffers checked=<n> emma=<n>}, {@code routes unsafe=<n> direct=<n> linker=<n>} (the MBean's allocation
 * counts of each route over the run),
 * {@code liveBytes peak-grew=<bool> back=<bool>}, {@code liveBytes before=<n> peak=<n> after=<n>} and {@code ok}.
 */
public final class ArrowApp {

    public static final int BATCHES = 16;
    public static final int ROWS_PER_BATCH = 65_536;
    /** What is left of LiveBytes after the close, over the start: other code of the JVM, not Arrow's 1M rows. */
    static final long LIVE_SLACK = 1 << 20;
    /**
     * arrow-memory-netty's pool is a static one that Arrow never closes: after the last buffer is freed
     * Netty keeps a chunk (8 KiB pages, order 9: 4 MiB) for the next allocation, as Netty's pools do.
     */
    static final long NETTY_POOL_KEEPS = 4 << 20;

    private static final Schema SCHEMA = new Schema(List.of(
            Field.nullable("id", new ArrowType.Int(32, true)),
            Field.nullable("big", new ArrowType.Int(64, true)),
            Field.nullable("name", ArrowType.Utf8.INSTANCE),
            new Field("point", FieldType.nullable(ArrowType.Struct.INSTANCE), List.of(
                    Field.nullable("x", new ArrowType.Int(32, true)),
                    Field.nullable("y", new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE))))));

    private static boolean emma;
    private static long buffersChecked;
    private static long buffersEmmas;
    /** LiveBytes' highest reading while a batch was live (the MBean's figures are a moment old: read at every batch). */
    private static long livePeak;

    public static void main(String[] args) throws Exception {
        Check.that(AgentProbe.awaitActive(30_000), "the agent did not become active");
        String manager = args[0];
        String mode = AgentProbe.mode();
        emma = mode.equals("emma");
        long unsafeBefore = AgentProbe.attribute("UnsafeAllocations");
        long directBefore = AgentProbe.attribute("DirectBufferAllocations");
        long linkerBefore = AgentProbe.attribute("LinkerAllocations");
        long liveBefore = AgentProbe.attribute("LiveBytes");
        byte[] ipc;
        // configBuilder() before factory(): BaseAllocator's static default configuration initializes the
        // Unsafe manager, whose own static initializer needs BaseAllocator (the other order: Arrow's NPE)
        try (BufferAllocator allocator = new RootAllocator(RootAllocator.configBuilder()
                .allocationManagerFactory(factory(manager)).build())) {
            ipc = write(allocator);
            read(allocator, ipc);
        } // RootAllocator.close throws if a buffer leaked
        System.out.println("arrow " + manager + " mode=" + mode + " rows=" + (long) BATCHES * ROWS_PER_BATCH + " batches=" + BATCHES
                + " ipcBytes=" + ipc.length);
        System.out.println("buffers checked=" + buffersChecked + " emma=" + buffersEmmas);
        Check.equal(emma ? buffersChecked : 0, buffersEmmas, "data buffers of Arrow's vectors that Emma owns");

        long unsafeGrowth = AgentProbe.attribute("UnsafeAllocations") - unsafeBefore;
        System.out.println("routes unsafe=" + unsafeGrowth + " direct=" + (AgentProbe.attribute("DirectBufferAllocations") - directBefore)
                + " linker=" + (AgentProbe.attribute("LinkerAllocations") - linkerBefore));
        // each batch is over 1 MiB (4 + 8 + ~10 + 4 + 8 bytes a row): the write root's peak shows
        long peakGrowth = livePeak - liveBefore;
        Check.that(peakGrowth >= ROWS_PER_BATCH * 24L, "LiveBytes grew by " + peakGrowth + " with a batch live");
        boolean back = awaitLiveBytesAtMost(liveBefore + LIVE_SLACK + (manager.equals("netty") ? NETTY_POOL_KEEPS : 0), 10_000);
        System.out.println("liveBytes peak-grew=true back=" + back);
        System.out.println("liveBytes before=" + liveBefore + " peak=" + livePeak + " after=" + AgentProbe.attribute("LiveBytes"));
        System.out.println("ok");
    }

    /** By name, so that only the chosen manager's classes load (the other's jars are absent). */
    private static AllocationManager.Factory factory(String manager) {
        return switch (manager) {
            case "unsafe" -> org.apache.arrow.memory.unsafe.UnsafeAllocationManager.FACTORY;
            case "netty" -> org.apache.arrow.memory.netty.NettyAllocationManager.FACTORY;
            default -> throw new IllegalArgumentException(manager);
        };
    }

    private static byte[] write(BufferAllocator allocator) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (VectorSchemaRoot root = VectorSchemaRoot.create(SCHEMA, allocator);
             ArrowStreamWriter writer = new ArrowStreamWriter(root, null, Channels.newChannel(out))) {
            writer.start();
            Columns c = Columns.of(root);
            for (int batch = 0; batch < BATCHES; batch++) {
                root.getFieldVectors().forEach(v -> v.setInitialCapacity(ROWS_PER_BATCH)); // the struct's children too
                root.allocateNew();
                for (int i = 0; i < ROWS_PER_BATCH; i++) {
                    long row = (long) batch * ROWS_PER_BATCH + i;
                    c.id.set(i, (int) row * 7);
                    c.big.set(i, row * 1_000_003L);
                    if (row % 97 == 0) {
                        c.name.setNull(i);
                    } else {
                        c.name.setSafe(i, name(row));
                    }
                    c.point.setIndexDefined(i);
                    c.x.set(i, (int) -row);
                    c.y.set(i, row * 0.5);
                }
                root.setRowCount(ROWS_PER_BATCH);
                checkOwnership(root);
                livePeak = Math.max(livePeak, AgentProbe.attribute("LiveBytes"));
                writer.writeBatch();
            }
            writer.end();
        }
        return out.toByteArray();
    }

    private static void read(BufferAllocator allocator, byte[] ipc) throws Exception {
        long row = 0;
        int batches = 0;
        try (ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(ipc), allocator)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            Check.that(root.getSchema().equals(SCHEMA), "schema read back: " + root.getSchema());
            while (reader.loadNextBatch()) {
                batches++;
                checkOwnership(root);
                livePeak = Math.max(livePeak, AgentProbe.attribute("LiveBytes"));
                Columns c = Columns.of(root);
                for (int i = 0; i < root.getRowCount(); i++, row++) {
                    Check.equal((int) row * 7, c.id.get(i), "id of row " + row);
                    Check.equal(row * 1_000_003L, c.big.get(i), "big of row " + row);
                    if (row % 97 == 0) {
                        Check.that(c.name.isNull(i), "name of row " + row + " is not null");
                    } else {
                        Check.that(new String(c.name.get(i), StandardCharsets.UTF_8).equals(new String(name(row), StandardCharsets.UTF_8)),
                                "name of row " + row);
                    }
                    Check.that(!c.point.isNull(i), "point of row " + row + " is null");
                    Check.equal(-row, c.x.get(i), "point.x of row " + row);
                    Check.that(c.y.get(i) == row * 0.5, "point.y of row " + row + ": " + c.y.get(i));
                }
            }
        }
        Check.equal(BATCHES, batches, "batches read back");
        Check.equal((long) BATCHES * ROWS_PER_BATCH, row, "rows read back");
    }

    private static byte[] name(long row) {
        return ("row-" + row).getBytes(StandardCharsets.UTF_8);
    }

    /** Every fixed-width and variable-width vector's data buffer, the struct's children included. */
    private static void checkOwnership(VectorSchemaRoot root) {
        for (FieldVector vector : root.getFieldVectors()) {
            List<FieldVector> leaves = vector instanceof StructVector struct ? struct.getChildrenFromFields() : List.of(vector);
            for (FieldVector leaf : leaves) {
                long address = leaf.getDataBufferAddress();
                Check.that(address != 0, leaf.getName() + " has no data buffer");
                boolean owned = AgentProbe.emmaOwns(address);
                Check.that(owned == emma, leaf.getName() + "'s data buffer is " + (owned ? "" : "not ") + "Emma's in "
                        + (emma ? "emma" : "passthrough") + " mode");
                buffersChecked++;
                if (owned) {
                    buffersEmmas++;
                }
            }
        }
    }

    private static boolean awaitLiveBytesAtMost(long limit, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (AgentProbe.attribute("LiveBytes") > limit) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** The batch's vectors, looked up once per root (the writer's and the reader's). */
    private record Columns(IntVector id, BigIntVector big, VarCharVector name, StructVector point, IntVector x, Float8Vector y) {
        static Columns of(VectorSchemaRoot root) {
            StructVector point = (StructVector) root.getVector("point");
            return new Columns((IntVector) root.getVector("id"), (BigIntVector) root.getVector("big"),
                    (VarCharVector) root.getVector("name"), point, point.getChild("x", IntVector.class),
                    point.getChild("y", Float8Vector.class));
        }
    }
}
