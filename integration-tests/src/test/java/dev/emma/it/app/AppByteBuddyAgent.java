package dev.emma.it.app;

import static net.bytebuddy.matcher.ElementMatchers.named;

import java.lang.instrument.Instrumentation;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.implementation.FixedValue;

/** An application's own Java agent on its own, not relocated, Byte Buddy. */
public final class AppByteBuddyAgent {

    public static final String REWRITTEN = "greeting rewritten by the application's Byte Buddy agent";

    private AppByteBuddyAgent() {
    }

    public static void premain(String arguments, Instrumentation instrumentation) {
        new AgentBuilder.Default()
                .type(named("dev.emma.it.app.GreeterApp"))
                .transform((builder, type, loader, module, domain) -> builder.method(named("greeting")).intercept(FixedValue.value(REWRITTEN)))
                .installOn(instrumentation);
    }
}
