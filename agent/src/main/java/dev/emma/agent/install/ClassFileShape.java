package dev.emma.agent.install;

import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * A digest of a class file that does not depend on the order of its methods. A JVM reconstituting
 * a loaded class for a retransformation writes the methods in the order it keeps them, which
 * follows where their names happen to be in memory: the same class may come out in another order
 * from one run to the next. Everything else (constant pool, fields, each method's bytes,
 * attributes) counts byte for byte. The agent stores this digest of each class file it has a stored
 * result for, not the class file: half the bytes read at start-up. Parses only the outline, no code.
 */
final class ClassFileShape {

    private final byte[] bytes;
    private int at;

    private ClassFileShape(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * CRC-32 and CRC-32C (64 bits: an accidental match of two class files of the same length is
     * about one in 2^64) of the bytes outside the methods table, then of each method's two CRCs in
     * ascending order. Bytes that are not a well-formed class file are digested whole.
     */
    static long digest(byte[] classFile) {
        CRC32 crc = new CRC32();
        CRC32C crcC = new CRC32C();
        try {
            return digest(classFile, new ClassFileShape(classFile).outline(), crc, crcC);
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            crc.reset();
            crcC.reset();
            crc.update(classFile, 0, classFile.length);
            crcC.update(classFile, 0, classFile.length);
            return crc.getValue() << 32 | crcC.getValue();
        }
    }

    private static long digest(byte[] classFile, Outline outline, CRC32 crc, CRC32C crcC) {
        int[] starts = outline.methodStarts;
        long[] methods = new long[starts.length];
        for (int i = 0; i < starts.length; i++) {
            int end = i + 1 < starts.length ? starts[i + 1] : outline.methodsEnd;
            crc.reset();
            crcC.reset();
            crc.update(classFile, starts[i], end - starts[i]);
            crcC.update(classFile, starts[i], end - starts[i]);
            methods[i] = crc.getValue() << 32 | crcC.getValue();
        }
        sort(methods);
        crc.reset();
        crcC.reset();
        crc.update(classFile, 0, outline.methodsStart);
        crcC.update(classFile, 0, outline.methodsStart);
        crc.update(classFile, outline.methodsEnd, classFile.length - outline.methodsEnd);
        crcC.update(classFile, outline.methodsEnd, classFile.length - outline.methodsEnd);
        byte[] method = new byte[8];
        for (long value : methods) {
            for (int i = 0; i < 8; i++) {
                method[i] = (byte) (value >>> (56 - 8 * i));
            }
            crc.update(method, 0, 8);
            crcC.update(method, 0, 8);
        }
        return crc.getValue() << 32 | crcC.getValue();
    }

    /** By insertion, a few hundred at most: Arrays.sort would load three classes outside the CDS archive at start-up. */
    private static void sort(long[] values) {
        for (int i = 1; i < values.length; i++) {
            long value = values[i];
            int j = i - 1;
            for (; j >= 0 && values[j] > value; j--) {
                values[j + 1] = values[j];
            }
            values[j + 1] = value;
        }
    }

    /** Where the methods table lies, and each method's extent in it. */
    private record Outline(int methodsStart, int methodsEnd, int[] methodStarts) {
    }

    private Outline outline() {
        at = 8; // magic, minor, major
        int constants = u2();
        for (int i = 1; i < constants; i++) {
            int tag = u1();
            switch (tag) {
                case 1 -> {
                    int length = u2(); // not "at += u2()": that would add to the value of at before u2() moved it
                    at += length;
                }
                case 3, 4, 9, 10, 11, 12, 17, 18 -> at += 4;
                case 5, 6 -> {
                    at += 8;
                    i++; // long and double take two slots
                }
                case 7, 8, 16, 19, 20 -> at += 2;
                case 15 -> at += 3;
                default -> throw new IllegalArgumentException("constant pool tag " + tag);
            }
        }
        at += 6; // access, this, super
        int interfaces = u2();
        at += 2 * interfaces;
        skipMembers(u2()); // fields
        int methodCount = u2();
        int methodsStart = at;
        int[] starts = new int[methodCount];
        for (int i = 0; i < methodCount; i++) {
            starts[i] = at;
            skipMembers(1);
        }
        return new Outline(methodsStart, at, starts);
    }

    private void skipMembers(int count) {
        for (int i = 0; i < count; i++) {
            at += 6; // access, name, descriptor
            int attributes = u2();
            for (int j = 0; j < attributes; j++) {
                at += 2;
                int length = (u2() << 16) | u2();
                at += length;
            }
        }
    }

    private int u1() {
        return bytes[at++] & 0xff;
    }

    private int u2() {
        int value = (bytes[at] & 0xff) << 8 | (bytes[at + 1] & 0xff);
        at += 2;
        return value;
    }
}
