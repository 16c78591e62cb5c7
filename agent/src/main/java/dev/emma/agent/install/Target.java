package dev.emma.agent.install;

import java.util.List;

/**
 * One method of the JDK that the agent changes, and how. Matched by exact name and descriptor: a
 * JDK whose method differs is reported (the change is not applied), never guessed at.
 *
 * <ul>
 *   <li>class: binary name, e.g. {@code jdk.internal.misc.Unsafe}; method: e.g. {@code allocateMemory},
 *       or {@code <init>} for a constructor; descriptor: e.g. {@code (J)J}</li>
 *   <li>required: without it the agent fails open; an optional target that cannot be applied is
 *       reported and skipped. All targets of one class are applied together or not at all.</li>
 *   <li>loaded now: the class is loaded at start-up to change it; otherwise it is changed if and
 *       when the JVM loads it.</li>
 * </ul>
 */
public final class Target {

    private final String className;
    private final String methodName;
    private final String descriptor;
    private final Change change;
    private final boolean required;
    private final boolean loadNow;

    private Target(String className, String methodName, String descriptor, Change change, boolean required, boolean loadNow) {
        this.className = className;
        this.methodName = methodName;
        this.descriptor = descriptor;
        this.change = change;
        this.required = required;
        this.loadNow = loadNow;
    }

    /** Byte Buddy advice (a class with {@code @Advice.OnMethodEnter/Exit} methods) inlined into the method. */
    public static Target advice(String className, String methodName, String descriptor, Class<?> advice) {
        return new Target(className, methodName, descriptor, new Change.Advise(advice), false, true);
    }

    /** Calls inside the method redirected to static methods; all of them must be found, or none is made. */
    public static Target swapCalls(String className, String methodName, String descriptor, List<CallSwap> swaps) {
        return new Target(className, methodName, descriptor, new Change.SwapCalls(List.copyOf(swaps)), false, true);
    }

    /** Without this target the agent fails open. All targets of a required target's class are applied together. */
    public Target required() {
        return new Target(className, methodName, descriptor, change, true, loadNow);
    }

    /** Changed when the JVM loads the class, if ever: start-up does not load it. */
    public Target whenLoaded() {
        return new Target(className, methodName, descriptor, change, required, false);
    }

    public String className() {
        return className;
    }

    public String methodName() {
        return methodName;
    }

    public String descriptor() {
        return descriptor;
    }

    public Change change() {
        return change;
    }

    public boolean isRequired() {
        return required;
    }

    public boolean loadNow() {
        return loadNow;
    }

    @Override
    public String toString() {
        return describe();
    }

    /** For messages: {@code jdk.internal.misc.Unsafe.allocateMemory(J)J}. */
    public String describe() {
        return className + "." + methodName + descriptor;
    }

    String internalClassName() {
        return className.replace('.', '/');
    }

    /** What is done to a method's code. */
    public sealed interface Change {
        /** @param advice the advice class, read from the agent jar */
        record Advise(Class<?> advice) implements Change {
        }

        /** @param swaps every call to redirect; the method must contain each at least once */
        record SwapCalls(List<CallSwap> swaps) implements Change {
        }
    }

    /**
     * A call to {@code owner.name descriptor} replaced by a call to the static method
     * {@code newOwner.newName newDescriptor}, which takes the same operands (the receiver first
     * for an instance method).
     */
    public record CallSwap(String owner, String name, String descriptor, String newOwner, String newName, String newDescriptor) {
        public static CallSwap toStatic(String owner, String name, String descriptor, Class<?> newOwner, String newDescriptor) {
            return new CallSwap(owner.replace('.', '/'), name, descriptor, newOwner.getName().replace('.', '/'), name, newDescriptor);
        }
    }
}
