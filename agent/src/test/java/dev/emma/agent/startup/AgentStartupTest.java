package dev.emma.agent.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The line for a second start in one JVM: it says whether the first is running or failed, and how the second came. */
class AgentStartupTest {

    @Test
    void afterAFailedStartUpAnAttachIsToldEmmaIsOffNotRunning() {
        assertEquals("Emma is off in this JVM since its start-up failed (unknown option colour); this attach (mode=emma) is ignored: "
                + "restart the JVM to use Emma", AgentStartup.ignoredLine("mode=emma", true, "unknown option colour"));
        assertEquals("Emma is off in this JVM since its start-up failed (why); this -javaagent=summary is ignored: restart the JVM to use Emma",
                AgentStartup.ignoredLine("summary", false, "why"));
    }

    @Test
    void whileTheFirstRunsTheSecondIsIgnored() {
        assertEquals("an Emma agent is already running in this JVM; this -javaagent=mode=passthrough is ignored and the first one stays in effect",
                AgentStartup.ignoredLine("mode=passthrough", false, null));
        assertEquals("an Emma agent is already running in this JVM; this attach is ignored and the first one stays in effect",
                AgentStartup.ignoredLine("", true, null));
    }
}
