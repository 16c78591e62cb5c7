package dev.emma.bench.workload;

import dev.emma.Emma;
import dev.emma.bench.proc.ProcStatus;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.CallSite;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Set;
import java.util.function.LongUnaryOperator;

/**
 * What using FFM at all costs a JVM's resident memory, step by step: the part of Emma's fixed cost
 * (the {@code fixed-cost} control) that the JDK charges any Java code making its first downcall.
 * {@code stage=none}: nothing; {@code lookup}: {@code Linker.nativeLinker().defaultLookup()}
 * finds {@code syscall}; {@code bind}: that, and a downcall handle of Emma's shape called once;
 * {@code emma}: {@code Emma.create()} and 8 allocations of 64 B. Then it sleeps {@code nap} seconds
 * and reports VmHWM and VmRSS in its {@code RESULT} line. {@code lambdas=N} first spins N lambda classes, as an application's
 * start does (frameworks spin thousands): the JDK's class-file generator then runs hot before FFM
 * does, and what is left is FFM's own cost. {@code benchmarks/ffm-cost.sh} runs the stages.
 */
public final class FfmCost {

    private static final FunctionDescriptor SEVEN_LONGS = FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);
    private static final long GETPID_X86_64 = 39;

    public static void main(String[] argv) throws Throwable {
        Args args = new Args(argv, Set.of("stage", "lambdas", "nap"));
        String stage = args.string("stage", "none");
        long sink = spinLambdas(args.integer("lambdas", 0));
        switch (stage) {
            case "none" -> { }
            case "lookup" -> sink += Linker.nativeLinker().defaultLookup().find("syscall").orElseThrow().address();
            case "bind" -> {
                Linker linker = Linker.nativeLinker();
                MemorySegment symbol = linker.defaultLookup().find("syscall").orElseThrow();
                MethodHandle syscall = linker.downcallHandle(symbol, SEVEN_LONGS, Linker.Option.firstVariadicArg(1));
                sink += (long) syscall.invokeExact(GETPID_X86_64, 0L, 0L, 0L, 0L, 0L, 0L);
            }
            case "emma" -> {
                Emma emma = Emma.create();
                for (int i = 0; i < 8; i++) {
                    sink += emma.allocate(64);
                }
            }
            default -> throw new IllegalArgumentException("stage must be none, lookup, bind or emma, was " + stage);
        }
        Thread.sleep((long) (args.decimal("nap", 1) * 1000));
        ProcStatus status = ProcStatus.selfWithoutDirectBuffer();
        // Printed without ResultLine, string concatenation or lambdas: each spins classes of its own,
        // which could make the JIT compile the class-file generator after the measure.
        System.out.println(new StringBuilder("RESULT throughput=0 unit=none stage=").append(stage)
                .append(" hwmBytes=").append(status.hwmBytes()).append(" rssBytes=").append(status.rssBytes())
                .append(" sink=").append(sink)); // what the stage computed, so that nothing is optimised away
    }

    /** Spins {@code n} lambda classes (each metafactory call defines a new hidden class). */
    private static long spinLambdas(int n) throws Throwable {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        MethodType unary = MethodType.methodType(long.class, long.class);
        MethodHandle twice = lookup.findStatic(FfmCost.class, "twice", unary);
        long sum = 0;
        for (int i = 0; i < n; i++) {
            CallSite site = LambdaMetafactory.metafactory(lookup, "applyAsLong", MethodType.methodType(LongUnaryOperator.class),
                    unary, twice, unary);
            sum += ((LongUnaryOperator) site.getTarget().invoke()).applyAsLong(i);
        }
        return sum;
    }

    private static long twice(long x) {
        return 2 * x;
    }
}
