package dev.emma.options;

/** A bad option: the message names the option, where it came from and its valid forms, in one line. */
public final class OptionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public OptionException(String message) {
        super(message);
    }
}
