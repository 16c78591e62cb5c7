package dev.emma.os;

/** A syscall failed; the message names the operation and errno. */
public final class SyscallException extends RuntimeException {
    public SyscallException(String operation, int errno) {
        super("Emma: " + operation + " failed with errno " + errno);
    }
}
