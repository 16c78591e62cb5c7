package dev.emma.bench.workload;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.arrow.memory.AllocationManager;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.memory.unsafe.UnsafeAllocationManager;
import org.apache.arrow.vector.BigIntVector;
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
 * Apache Arrow record batches, as a service that exchanges them does: each thread builds a batch
 * (int, bigint, a UTF-8 string with nulls, a struct of int and double) in its child of one
 * {@code RootAllocator}, writes it as an IPC stream to a heap byte array, reads it back, checks
 * it, and closes both. Batch sizes cycle through 1,000 to 65,536 rows; Arrow rounds its buffers up
 * to powers of two: 9 or 10 blocks a batch, 7 or 8 written (128 B to 1 MiB) and 2 read (4 bytes,
 * and the message body, 64 KiB to 4 MiB). Throughput is batches per second, all threads together;
 * every batch is built, serialized and deserialized once.
 *
 * <p>Arguments: {@code memory=unsafe|emma threads=2 seconds=3 maxRows=65536}. {@code unsafe}:
 * Arrow's arrow-memory-unsafe manager, {@code Unsafe.allocateMemory} (glibc, a preloaded malloc, or
 * Emma via the agent); {@code emma}: {@link EmmaArrowAllocationManager}, the core called directly.
 * A lower {@code maxRows} (a diagnostic) leaves out the larger batches: with {@code maxRows=16384}
 * no block is over 1 MiB. Arrow's {@code MemoryUtil} needs
 * {@code --add-opens=java.base/java.nio=ALL-UNNAMED} (IPC writes wrap its buffers in DirectByteBuffers).
 */
public final class ArrowBatches {

    /** Rows per batch, in turn: mixes Arrow's small and large buffers in every thread. */
    static final int[] ROWS = {1_000, 4_096, 65_536, 16_384, 10_000, 30_000};

    private static final Schema SCHEMA = new Schema(List.of(
            Field.nullable("id", new ArrowType.Int(32, true)),
            Field.nullable("big", new ArrowType.Int(64, true)),
            Field.nullable("name", ArrowType.Utf8.INSTANCE),
            new Field("point", FieldType.nullable(ArrowType.Struct.INSTANCE), List.of(
                    Field.nullable("x", new ArrowType.Int(32, true)),
                    Field.nullable("y", new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE))))));

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, Set.of("memory", "threads", "seconds", "maxRows"));
        String memory = args.string("memory", "unsafe");
        // BaseAllocator before the factory: its static default configuration initializes
        // UnsafeAllocationManager, whose own static initializer needs BaseAllocator; touching
        // UnsafeAllocationManager.FACTORY first ends in Arrow's NullPointerException "allocationManagerFactory".
        var config = RootAllocator.configBuilder();
        AllocationManager.Factory factory = switch (memory) {
            case "unsafe" -> UnsafeAllocationManager.FACTORY;
            case "emma" -> EmmaArrowAllocationManager.FACTORY;
            default -> throw new IllegalArgumentException("unknown memory '" + memory + "', expected unsafe or emma");
        };
        int threads = args.integer("threads", 2);
        long runNanos = (long) (args.decimal("seconds", 3) * 1e9);
        int maxRows = args.integer("maxRows", 65_536);
        int[] rowCounts = IntStream.of(ROWS).filter(r -> r <= maxRows).toArray();
        if (rowCounts.length == 0) {
            throw new IllegalArgumentException("maxRows=" + maxRows + " leaves no batch size of " + Arrays.toString(ROWS));
        }
        ResultLine.awaitAgent();
        long[] ipcBytes = new long[threads];
        Workers.Outcome outcome;
        try (BufferAllocator root = new RootAllocator(config.allocationManagerFactory(factory).build())) {
            ResultLine.phase("run");
            outcome = Workers.run(threads, "arrow", index -> {
                try (BufferAllocator mine = root.newChildAllocator("arrow-" + index, 0, Long.MAX_VALUE)) {
                    Sink sink = new Sink();
                    long deadline = System.nanoTime() + runNanos;
                    long batches = 0;
                    while (System.nanoTime() < deadline) {
                        int rows = rowCounts[(int) ((batches + index) % rowCounts.length)];
                        long seed = batches * 1_000_003L + index;
                        sink.reset();
                        write(mine, rows, seed, sink);
                        ipcBytes[index] += sink.size();
                        read(mine, rows, seed, sink.input());
                        batches++;
                    }
                    return batches;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        } // RootAllocator.close throws if a buffer leaked
        long bytes = 0;
        for (long b : ipcBytes) {
            bytes += b;
        }
        new ResultLine()
                .put("throughput", outcome.perSecond())
                .put("unit", "batches/s")
                .put("operations", outcome.operations())
                .put("seconds", outcome.seconds())
                .put("threads", threads)
                .put("ipcBytesPerBatch", bytes / Math.max(1, outcome.operations()))
                .print();
    }

    private static void write(BufferAllocator allocator, int rows, long seed, Sink sink) throws Exception {
        try (VectorSchemaRoot batch = VectorSchemaRoot.create(SCHEMA, allocator);
             ArrowStreamWriter writer = new ArrowStreamWriter(batch, null, Channels.newChannel(sink))) {
            batch.getFieldVectors().forEach(v -> v.setInitialCapacity(rows)); // the struct's children too
            batch.allocateNew();
            IntVector id = (IntVector) batch.getVector("id");
            BigIntVector big = (BigIntVector) batch.getVector("big");
            VarCharVector name = (VarCharVector) batch.getVector("name");
            StructVector point = (StructVector) batch.getVector("point");
            IntVector x = point.getChild("x", IntVector.class);
            Float8Vector y = point.getChild("y", Float8Vector.class);
            for (int i = 0; i < rows; i++) {
                long row = seed + i;
                id.set(i, (int) row);
                big.set(i, row * 31);
                if (row % 97 == 0) {
                    name.setNull(i);
                } else {
                    name.setSafe(i, ("row-" + row).getBytes(StandardCharsets.UTF_8));
                }
                point.setIndexDefined(i);
                x.set(i, (int) -row);
                y.set(i, row * 0.5);
            }
            batch.setRowCount(rows);
            writer.start();
            writer.writeBatch();
            writer.end();
        }
    }

    /** Reads the batch back and checks it: a wrong or missing value ends the run (Workers halts). */
    private static void read(BufferAllocator allocator, int rows, long seed, ByteArrayInputStream in) throws Exception {
        try (ArrowStreamReader reader = new ArrowStreamReader(in, allocator)) {
            if (!reader.loadNextBatch()) {
                throw new IllegalStateException("no batch in the stream");
            }
            VectorSchemaRoot batch = reader.getVectorSchemaRoot();
            if (batch.getRowCount() != rows) {
                throw new IllegalStateException(batch.getRowCount() + " rows read, " + rows + " written");
            }
            IntVector id = (IntVector) batch.getVector("id");
            BigIntVector big = (BigIntVector) batch.getVector("big");
            VarCharVector name = (VarCharVector) batch.getVector("name");
            Float8Vector y = ((StructVector) batch.getVector("point")).getChild("y", Float8Vector.class);
            for (int i = 0; i < rows; i += 997) { // a sample: the checks are not what is measured
                long row = seed + i;
                if (id.get(i) != (int) row || big.get(i) != row * 31 || y.get(i) != row * 0.5
                        || name.isNull(i) != (row % 97 == 0)) {
                    throw new IllegalStateException("row " + i + " of batch " + seed + " read back wrong");
                }
            }
            if (reader.loadNextBatch()) {
                throw new IllegalStateException("a second batch in the stream");
            }
        }
    }

    /** A byte array output that is read back in place, without the copy of {@code toByteArray}. */
    private static final class Sink extends ByteArrayOutputStream {
        Sink() {
            super(4 << 20);
        }

        ByteArrayInputStream input() {
            return new ByteArrayInputStream(buf, 0, count);
        }
    }
}
