package dev.emma.it.app;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import sun.misc.Unsafe;

/** Allocates, writes, grows and frees a block through sun.misc.Unsafe, and uses a direct buffer. */
public final class UnsafeReallocApp {

    private UnsafeReallocApp() {
    }

    public static void main(String[] args) throws Exception {
        Field field = Unsafe.class.getDeclaredField("theUnsafe");
        field.setAccessible(true);
        Unsafe unsafe = (Unsafe) field.get(null);
        long address = unsafe.allocateMemory(64);
        unsafe.putByte(address, (byte) 42);
        address = unsafe.reallocateMemory(address, 100_000);
        unsafe.putByte(address + 99_999, (byte) 7);
        System.out.println("reallocated: first byte " + unsafe.getByte(address) + ", last byte " + unsafe.getByte(address + 99_999));
        unsafe.freeMemory(address);
        ByteBuffer buffer = ByteBuffer.allocateDirect(4096).putInt(0, 5);
        System.out.println("direct buffer: " + buffer.getInt(0));
    }
}
