package dev.emma.agent.install;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Whether two class files are the same class file but for the order of their methods. A JVM
 * reconstituting a loaded class for a retransformation writes the methods in the order it keeps
 * them, which follows where their names happen to be in memory: the same class may come out in
 * another order from one run to the next. Everything else (constant pool, fields, each method's
 * bytes, attributes) must be byte for byte the same. Parses only the class file's outline, no code.
 */
final class ClassFileShape {

    /** A class, not a method reference: lambdas cost start-up time. */
    private static final Comparator<byte[]> BY_CONTENT = new Comparator<>() {
        @Override
        public int compare(byte[] a, byte[] b) {
            return Arrays.compare(a, b);
        }
    };

    private final byte[] bytes;
    private int at;

    private ClassFileShape(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The same for {@code length} bytes of {@code stored} from {@code from}: copied only when not byte for byte the same. */
    static boolean sameButForMethodOrder(byte[] stored, int from, int length, byte[] received) {
        if (length != received.length) {
            return false;
        }
        return Arrays.equals(stored, from, from + length, received, 0, length)
                || sameButForMethodOrder(Arrays.copyOfRange(stored, from, from + length), received);
    }

    static boolean sameButForMethodOrder(byte[] a, byte[] b) {
        if (a.length != b.length) {
            return false;
        }
        if (Arrays.equals(a, b)) {
            return true;
        }
        try {
            Outline first = new ClassFileShape(a).outline();
            Outline second = new ClassFileShape(b).outline();
            if (first.methodsStart != second.methodsStart || first.methodsEnd != second.methodsEnd
                    || !Arrays.equals(a, 0, first.methodsStart, b, 0, second.methodsStart)
                    || !Arrays.equals(a, first.methodsEnd, a.length, b, second.methodsEnd, b.length)) {
                return false;
            }
            List<byte[]> methodsA = first.methods(a);
            List<byte[]> methodsB = second.methods(b);
            methodsA.sort(BY_CONTENT);
            methodsB.sort(BY_CONTENT);
            for (int i = 0; i < methodsA.size(); i++) {
                if (!Arrays.equals(methodsA.get(i), methodsB.get(i))) {
                    return false;
                }
            }
            return methodsA.size() == methodsB.size();
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            return false; // not a well-formed class file: not the same as anything we stored
        }
    }

    /** Where the methods table lies, and each method's extent in it. */
    private record Outline(int methodsStart, int methodsEnd, int[] methodStarts) {
        List<byte[]> methods(byte[] bytes) {
            List<byte[]> methods = new ArrayList<>(methodStarts.length);
            for (int i = 0; i < methodStarts.length; i++) {
                int end = i + 1 < methodStarts.length ? methodStarts[i + 1] : methodsEnd;
                methods.add(Arrays.copyOfRange(bytes, methodStarts[i], end));
            }
            return methods;
        }
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
