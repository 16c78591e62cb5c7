package dev.emma.agent.config;

/** A bad option: the message names the option, where it came from and the valid values. */
public final class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
