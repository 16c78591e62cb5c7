package dev.emma.agent.install;

import dev.emma.bridge.ManagementHook;
import net.bytebuddy.asm.Advice;

/** Inlined into {@code ManagementFactory.getPlatformMBeanServer()}: the agent's MBean is registered once that server exists. */
final class MBeanServerAdvice {

    private MBeanServerAdvice() {
    }

    @Advice.OnMethodExit
    static void exit() {
        ManagementHook.platformServerReady();
    }
}
