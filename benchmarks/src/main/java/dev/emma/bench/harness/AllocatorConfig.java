package dev.emma.bench.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One allocator under test and how a JVM is started to use it.
 *
 * @param id        short name used in files and tables
 * @param label     what the report calls it
 * @param env       environment added to the child JVM ({@code LD_PRELOAD} for jemalloc/mimalloc)
 * @param jvmArgs   JVM options added for it (the agent)
 * @param rawMemory how raw blocks are allocated: {@code unsafe} (whatever {@code Unsafe} reaches in
 *                  that JVM) or {@code emma} (the core called directly)
 * @param skip      why it cannot run on this machine, or null
 */
public record AllocatorConfig(String id, String label, Map<String, String> env, List<String> jvmArgs,
                              String rawMemory, String skip) {

    public static final String GLIBC = "glibc";
    public static final String EMMA_CORE = "emma-core";
    /** The core behind one real call per operation ({@code impl=emmacall}): what any agent path can reach at best. */
    public static final String EMMA_CALL = "emma-call";

    public boolean runnable() {
        return skip == null;
    }

    /** Whether the JVM's own {@code Unsafe}/direct-buffer path is what is measured (not the core API). */
    public boolean viaJdkPath() {
        return rawMemory.equals("unsafe");
    }

    /** Memory argument for workloads that use direct buffers on the JDK path. */
    public String bufferMemory() {
        return viaJdkPath() ? "direct" : rawMemory;
    }

    /**
     * Every configuration, in report order: glibc, jemalloc, mimalloc, Emma via the agent, Emma core.
     * A missing library or agent jar makes that configuration skip with the reason.
     */
    public static List<AllocatorConfig> all(Path jemalloc, Path mimalloc, Path agentJar) {
        List<AllocatorConfig> configs = new ArrayList<>();
        configs.add(new AllocatorConfig(GLIBC, "glibc (default)", Map.of(), List.of(), "unsafe", null));
        configs.add(preloaded("jemalloc", "jemalloc (LD_PRELOAD)", jemalloc));
        configs.add(preloaded("mimalloc", "mimalloc (LD_PRELOAD)", mimalloc));
        configs.add(new AllocatorConfig("emma-agent", "Emma via agent", Map.of(),
                List.of("-javaagent:" + agentJar + "=mode=emma"), "unsafe",
                agentJar != null && Files.isRegularFile(agentJar) ? null
                        : "agent jar " + agentJar + " not built yet (the agent module has not landed)"));
        configs.add(new AllocatorConfig(EMMA_CORE, "Emma core (direct calls)", Map.of(), List.of(), "emma", null));
        return configs;
    }

    private static AllocatorConfig preloaded(String id, String label, Path library) {
        boolean present = library != null && Files.isRegularFile(library);
        return new AllocatorConfig(id, label, present ? Map.of("LD_PRELOAD", library.toString()) : Map.of(), List.of(),
                "unsafe", present ? null : "library " + library + " not found (install the Debian package)");
    }
}
