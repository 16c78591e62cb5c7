package dev.emma.it.app;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A child JVM's application: runs the scenarios named on the command line against whatever the
 * agent does in this JVM and prints one line each, {@code PASS name} or {@code FAIL name: why}.
 * The system property {@code it.expect} (emma or passthrough) says which arm this is.
 */
public final class ScenarioApp {

    private ScenarioApp() {
    }

    public static void main(String[] args) throws Exception {
        if (!AgentProbe.awaitActive(60_000)) {
            System.out.println("FAIL activation: no " + AgentProbe.OBJECT_NAME + " MBean after 60 s");
            System.exit(3);
        }
        boolean emma = "emma".equals(System.getProperty("it.expect"));
        Map<String, Scenario> scenarios = new LinkedHashMap<>();
        scenarios.put("mode", () -> Check.that(AgentProbe.mode().equals(System.getProperty("it.expect")), "Mode is " + AgentProbe.mode()));
        scenarios.put("directBuffers", () -> DirectBufferScenarios.sizes(emma));
        scenarios.put("directBufferReuseReadsZero", () -> DirectBufferScenarios.reuseReadsZero(emma));
        scenarios.put("unsafe", () -> UnsafeScenarios.allocateReallocateFree(emma));
        scenarios.put("unsafeEdgeCases", UnsafeScenarios::edgeCases);
        scenarios.put("arenas", () -> ArenaScenarios.arenas(emma));
        scenarios.put("freedByGc", FreeScenarios::freedByGc);
        scenarios.put("freedByInvokeCleaner", FreeScenarios::freedByInvokeCleaner);
        scenarios.put("twoThreadsChurning", () -> ChurnScenario.run(emma));
        scenarios.put("mbeanAndJfr", () -> ObservabilityScenario.run(emma));
        for (String name : args) {
            Scenario scenario = scenarios.get(name);
            if (scenario == null) {
                System.out.println("FAIL " + name + ": no such scenario");
                continue;
            }
            try {
                scenario.run();
                System.out.println("PASS " + name);
            } catch (Throwable e) {
                System.out.println("FAIL " + name + ": " + e);
                e.printStackTrace();
            }
        }
    }

    @FunctionalInterface
    interface Scenario {
        void run() throws Exception;
    }
}
