package dev.emma.agent.install;

import dev.emma.bridge.JfrHook;
import net.bytebuddy.asm.Advice;

/** Inlined into {@code jdk.jfr.FlightRecorder.getFlightRecorder()}: the agent's JFR events are registered once JFR exists. */
final class FlightRecorderAdvice {

    private FlightRecorderAdvice() {
    }

    @Advice.OnMethodExit
    static void exit() {
        JfrHook.recorderReady();
    }
}
