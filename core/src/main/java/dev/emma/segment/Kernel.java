package dev.emma.segment;

import dev.emma.os.Syscalls;

/**
 * The kernel calls {@link Mapper} makes, through {@link Syscalls}: the seam through which tests make
 * them fail. A class that only tests extend, not an interface: production loads this one
 * implementation, so C2 binds every call by class hierarchy analysis (monomorphic), and no lambda
 * is spun at start.
 */
class Kernel {
    static final Kernel LINUX = new Kernel();

    long mmap(long hint, long length, int prot, int flags) {
        return Syscalls.mmap(hint, length, prot, flags);
    }

    void munmap(long address, long length) {
        Syscalls.munmap(address, length);
    }

    void madvise(long address, long length, int advice) {
        Syscalls.madvise(address, length, advice);
    }

    void mprotect(long address, long length, int prot) {
        Syscalls.mprotect(address, length, prot);
    }

    long mremap(long address, long oldLength, long newLength, int flags, long target) {
        return Syscalls.mremap(address, oldLength, newLength, flags, target);
    }
}
