package dev.emma.agent.install;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

/**
 * Records what Byte Buddy transformed and what failed: without a listener its errors are
 * invisible, and the installer must know them to fail open.
 */
final class InstallListener extends AgentBuilder.Listener.Adapter {

    private final Set<String> transformed = ConcurrentHashMap.newKeySet();
    private final Map<String, Throwable> errors = new ConcurrentHashMap<>();

    @Override
    public void onTransformation(TypeDescription typeDescription, ClassLoader classLoader, JavaModule module,
                                 boolean loaded, DynamicType dynamicType) {
        transformed.add(typeDescription.getName());
    }

    @Override
    public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded, Throwable throwable) {
        errors.putIfAbsent(typeName, throwable);
    }

    Set<String> transformed() {
        return Set.copyOf(transformed);
    }

    Map<String, Throwable> errors() {
        return Map.copyOf(errors);
    }
}
