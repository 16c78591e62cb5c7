package dev.emma.bridge;

import jdk.internal.misc.VM;

/**
 * The JVM's own arguments ({@code -XX:...}, from the command line, {@code JAVA_TOOL_OPTIONS} and
 * flags files), as {@code RuntimeMXBean.getInputArguments()} gives them but without starting the
 * management machinery: the agent reads {@code -XX:MallocLimit} at start-up.
 */
public final class VmArguments {

    private VmArguments() {
    }

    /** The arguments, or null where this class may not read them (not defined by the agent). */
    public static String[] get() {
        try {
            return VM.getRuntimeArguments();
        } catch (IllegalAccessError e) {
            return null; // java.base exports jdk.internal.misc to the bridge only when the agent defines it
        }
    }

    /** The value of the last {@code -XX:<flag>=value} among {@code arguments}, or null. */
    public static String flag(String[] arguments, String flag) {
        String prefix = "-XX:" + flag + "=";
        String value = null;
        for (String argument : arguments) {
            if (argument.startsWith(prefix)) {
                value = argument.substring(prefix.length());
            }
        }
        return value;
    }
}
