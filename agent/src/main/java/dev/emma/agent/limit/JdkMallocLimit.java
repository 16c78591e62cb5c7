package dev.emma.agent.limit;

import dev.emma.bridge.VmArguments;
import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * {@code -XX:MallocLimit} as it applies to the memory Emma serves in place of
 * {@code Unsafe.allocateMemory}, whose mallocs NMT files under category {@code other}. The JVM
 * honours the option only with NMT on ({@code -XX:NativeMemoryTracking=summary|detail}); so does
 * the agent. Syntax (JDK 21+): {@code <size>[:<mode>]} for the global limit, or
 * {@code <category>:<size>[:<mode>][,...]} per category; a size takes {@code k}, {@code m},
 * {@code g} or {@code t}; the mode is {@code fatal} (default) or {@code oom}.
 *
 * <p>Both modes get {@code OutOfMemoryError("Unable to allocate N bytes")}, the JDK's {@code oom}
 * answer: a Java agent cannot stop the JVM with the fatal error {@code fatal} asks for, and an
 * exception is the safer of the two (see the agent README).
 */
public final class JdkMallocLimit {

    private JdkMallocLimit() {
    }

    /**
     * The limit for Emma's routed memory in this JVM, if any. Read from the JVM's arguments through
     * the bridge (start-up loads no management class); through the HotSpot MXBean only where the
     * bridge cannot read them.
     */
    public static OptionalLong ofThisJvm() {
        String[] arguments = VmArguments.get();
        if (arguments != null) {
            String nmt = VmArguments.flag(arguments, "NativeMemoryTracking");
            return parse(VmArguments.flag(arguments, "MallocLimit"), nmt == null ? "off" : nmt);
        }
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            VMOption nmt = hotspot.getVMOption("NativeMemoryTracking");
            VMOption limit = hotspot.getVMOption("MallocLimit");
            return parse(limit.getValue(), nmt.getValue());
        } catch (RuntimeException | LinkageError e) {
            return OptionalLong.empty(); // not HotSpot, no jdk.management, or no such option: no limit to honour
        }
    }

    /**
     * The smaller of the global and the {@code other} limit in {@code option}, or empty when there is
     * none or NMT is off.
     */
    static OptionalLong parse(String option, String nativeMemoryTracking) {
        if (option == null || option.isBlank() || nativeMemoryTracking == null
                || nativeMemoryTracking.trim().equalsIgnoreCase("off")) {
            return OptionalLong.empty();
        }
        long limit = Long.MAX_VALUE;
        for (String part : option.split(",")) {
            String[] fields = part.trim().split(":");
            if (fields.length == 0 || fields[0].isEmpty()) {
                continue;
            }
            if (Character.isDigit(fields[0].charAt(0))) {
                limit = Math.min(limit, size(fields[0])); // global: <size>[:<mode>]
            } else if (fields.length >= 2 && isOther(fields[0])) {
                limit = Math.min(limit, size(fields[1]));
            }
        }
        return limit == Long.MAX_VALUE || limit <= 0 ? OptionalLong.empty() : OptionalLong.of(limit);
    }

    private static boolean isOther(String category) {
        String name = category.trim().toLowerCase(Locale.ROOT);
        return name.equals("other") || name.equals("mtother");
    }

    private static long size(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        int shift = switch (value.charAt(value.length() - 1)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            case 't' -> 40;
            default -> 0;
        };
        String digits = shift == 0 ? value : value.substring(0, value.length() - 1);
        return Long.parseLong(digits) << shift;
    }
}
