package dev.emma.os;

import java.util.Locale;

/**
 * Linux syscall numbers, one table per architecture: the only place they are written down.
 * Flag values used with them ({@code PROT_*}, {@code MAP_*}, {@code MADV_*}, {@code MREMAP_*}) are
 * the same on x86_64 and aarch64 and live in {@link Syscalls}.
 */
public record SyscallTable(String arch, long mmap, long munmap, long mremap, long madvise, long mincore,
        long mprotect) {

    /** arch/x86/entry/syscalls/syscall_64.tbl */
    public static final SyscallTable X86_64 = new SyscallTable("x86_64", 9, 11, 25, 28, 27, 10);

    /** include/uapi/asm-generic/unistd.h (aarch64 uses the generic table) */
    public static final SyscallTable AARCH64 = new SyscallTable("aarch64", 222, 215, 216, 233, 232, 226);

    /** The table for {@code os.arch}; fails clearly on an architecture Emma does not know. */
    public static SyscallTable forArch(String osArch) {
        return switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> X86_64;
            case "aarch64", "arm64" -> AARCH64;
            default -> throw new UnsupportedOperationException(
                    "Emma supports Linux on x86_64 and aarch64; os.arch is " + osArch);
        };
    }

    public static SyscallTable current() {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(Locale.ROOT).contains("linux")) {
            throw new UnsupportedOperationException("Emma supports Linux only; os.name is " + os);
        }
        return forArch(System.getProperty("os.arch", ""));
    }
}
