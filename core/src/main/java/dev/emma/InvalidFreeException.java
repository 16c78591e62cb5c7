package dev.emma;

/**
 * A free (or reallocate, or usableSize) was handed an address that is not the start of a live
 * Emma block: a double free, an interior pointer, or memory Emma never mapped. Thrown only with
 * {@link EmmaConfig#checks()}; the heap is left untouched either way.
 */
public final class InvalidFreeException extends IllegalArgumentException {
    private final long address;
    private final String operation;

    public InvalidFreeException(String operation, long address, String reason) {
        super(operation + "(0x" + Long.toHexString(address) + "): " + reason);
        this.address = address;
        this.operation = operation;
    }

    public long address() {
        return address;
    }

    public String operation() {
        return operation;
    }
}
