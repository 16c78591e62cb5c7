package dev.emma.agent.install;

import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/** Redirects calls inside one method to static methods that take the same operands; counts what it swapped. */
final class CallSwapper extends MethodVisitor {

    private final List<Target.CallSwap> swaps;
    private final int[] swapped;

    CallSwapper(MethodVisitor delegate, List<Target.CallSwap> swaps) {
        super(ClassRewriter.ASM_API, delegate);
        this.swaps = swaps;
        this.swapped = new int[swaps.size()];
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
        for (int i = 0; i < swaps.size(); i++) {
            Target.CallSwap swap = swaps.get(i);
            if (swap.owner().equals(owner) && swap.name().equals(name) && swap.descriptor().equals(descriptor)) {
                swapped[i]++;
                super.visitMethodInsn(Opcodes.INVOKESTATIC, swap.newOwner(), swap.newName(), swap.newDescriptor(), false);
                return;
            }
        }
        super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
    }

    /** The calls that were never seen, as {@code owner.name descriptor}. */
    List<String> unswapped() {
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < swaps.size(); i++) {
            if (swapped[i] == 0) {
                Target.CallSwap swap = swaps.get(i);
                missing.add("call to " + swap.owner().replace('/', '.') + "." + swap.name() + swap.descriptor());
            }
        }
        return missing;
    }
}
