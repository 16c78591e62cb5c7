package dev.emma.agent.install;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.jar.asm.AnnotationVisitor;
import net.bytebuddy.jar.asm.Attribute;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.TypePath;

/**
 * A method written out as text, event by event, with names instead of constant-pool indices and
 * labels numbered in order of first mention: two methods with the same text have the same code,
 * whatever the rest of their class files. Line numbers are kept apart (a JDK update may shift a
 * method without changing it); everything else (annotations, frames, local variables, try blocks,
 * limits) is in the text.
 */
class MethodText extends MethodVisitor {

    /** @param lines the line numbers in the order the method lists them */
    record Rendered(String text, int[] lines) {
        boolean sameCode(Rendered other) {
            return text.equals(other.text) && lines.length == other.lines.length;
        }
    }

    private final StringBuilder text = new StringBuilder();
    private final Map<Label, Integer> labels = new IdentityHashMap<>();
    private final List<Integer> lines = new ArrayList<>();

    MethodText(int access, String name, String descriptor, String signature, String[] exceptions) {
        super(ClassRewriter.ASM_API);
        line("method", access, name, descriptor, signature, exceptions == null ? "-" : Arrays.toString(exceptions));
    }

    Rendered rendered() {
        int[] numbers = new int[lines.size()];
        for (int i = 0; i < numbers.length; i++) {
            numbers[i] = lines.get(i);
        }
        return new Rendered(text.toString(), numbers);
    }

    private void line(String event, Object... values) {
        text.append(event);
        for (Object value : values) {
            text.append(' ');
            append(value);
        }
        text.append('\n');
    }

    private void append(Object value) {
        if (value instanceof String s) {
            text.append(s.length()).append(':').append(s); // length first: no value can fake a separator
        } else if (value instanceof Label label) {
            text.append('L').append(label(label));
        } else if (value instanceof Object[] array) {
            text.append('[');
            for (Object element : array) {
                append(element);
                text.append(',');
            }
            text.append(']');
        } else if (value instanceof int[] ints) {
            text.append(Arrays.toString(ints));
        } else {
            text.append(value == null ? "null" : value.getClass().getSimpleName() + ":" + value);
        }
    }

    private int label(Label label) {
        Integer id = labels.get(label);
        if (id == null) {
            id = labels.size();
            labels.put(label, id);
        }
        return id;
    }

    private AnnotationVisitor annotation(String event, Object... values) {
        line(event, values);
        return new AnnotationVisitor(ClassRewriter.ASM_API) {
            @Override
            public void visit(String name, Object value) {
                line("value", name, value instanceof Object[] || value == null ? value : value.getClass().isArray() ? arrayText(value) : value);
            }

            @Override
            public void visitEnum(String name, String descriptor, String value) {
                line("enum", name, descriptor, value);
            }

            @Override
            public AnnotationVisitor visitAnnotation(String name, String descriptor) {
                return annotation("nested", name, descriptor);
            }

            @Override
            public AnnotationVisitor visitArray(String name) {
                return annotation("array", name);
            }

            @Override
            public void visitEnd() {
                line("end");
            }
        };
    }

    private static String arrayText(Object array) {
        if (array instanceof int[] a) {
            return Arrays.toString(a);
        } else if (array instanceof long[] a) {
            return Arrays.toString(a);
        } else if (array instanceof byte[] a) {
            return Arrays.toString(a);
        } else if (array instanceof char[] a) {
            return Arrays.toString(a);
        } else if (array instanceof short[] a) {
            return Arrays.toString(a);
        } else if (array instanceof boolean[] a) {
            return Arrays.toString(a);
        } else if (array instanceof float[] a) {
            return Arrays.toString(a);
        } else if (array instanceof double[] a) {
            return Arrays.toString(a);
        }
        return String.valueOf(array);
    }

    @Override
    public void visitParameter(String name, int access) {
        line("parameter", name, access);
    }

    @Override
    public AnnotationVisitor visitAnnotationDefault() {
        return annotation("default");
    }

    @Override
    public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
        return annotation("annotation", descriptor, visible);
    }

    @Override
    public AnnotationVisitor visitTypeAnnotation(int typeRef, TypePath typePath, String descriptor, boolean visible) {
        return annotation("typeAnnotation", typeRef, String.valueOf(typePath), descriptor, visible);
    }

    @Override
    public void visitAnnotableParameterCount(int parameterCount, boolean visible) {
        line("annotableParameters", parameterCount, visible);
    }

    @Override
    public AnnotationVisitor visitParameterAnnotation(int parameter, String descriptor, boolean visible) {
        return annotation("parameterAnnotation", parameter, descriptor, visible);
    }

    @Override
    public void visitAttribute(Attribute attribute) {
        line("attribute", attribute.type);
    }

    @Override
    public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
        line("frame", type, numLocal, local == null ? null : Arrays.copyOf(local, numLocal), numStack,
                stack == null ? null : Arrays.copyOf(stack, numStack));
    }

    @Override
    public void visitInsn(int opcode) {
        line("insn", opcode);
    }

    @Override
    public void visitIntInsn(int opcode, int operand) {
        line("int", opcode, operand);
    }

    @Override
    public void visitVarInsn(int opcode, int varIndex) {
        line("var", opcode, varIndex);
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
        line("type", opcode, type);
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
        line("field", opcode, owner, name, descriptor);
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
        line("call", opcode, owner, name, descriptor, isInterface);
    }

    @Override
    public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrapMethodHandle, Object... bootstrapMethodArguments) {
        line("indy", name, descriptor, bootstrapMethodHandle, bootstrapMethodArguments);
    }

    @Override
    public void visitJumpInsn(int opcode, Label label) {
        line("jump", opcode, label);
    }

    @Override
    public void visitLabel(Label label) {
        line("label", label);
    }

    @Override
    public void visitLdcInsn(Object value) {
        line("ldc", value);
    }

    @Override
    public void visitIincInsn(int varIndex, int increment) {
        line("iinc", varIndex, increment);
    }

    @Override
    public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
        line("table", min, max, dflt, labels);
    }

    @Override
    public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
        line("lookup", dflt, keys, labels);
    }

    @Override
    public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
        line("multianewarray", descriptor, numDimensions);
    }

    @Override
    public AnnotationVisitor visitInsnAnnotation(int typeRef, TypePath typePath, String descriptor, boolean visible) {
        return annotation("insnAnnotation", typeRef, String.valueOf(typePath), descriptor, visible);
    }

    @Override
    public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
        line("try", start, end, handler, type);
    }

    @Override
    public AnnotationVisitor visitTryCatchAnnotation(int typeRef, TypePath typePath, String descriptor, boolean visible) {
        return annotation("tryAnnotation", typeRef, String.valueOf(typePath), descriptor, visible);
    }

    @Override
    public void visitLocalVariable(String name, String descriptor, String signature, Label start, Label end, int index) {
        line("local", name, descriptor, signature, start, end, index);
    }

    @Override
    public AnnotationVisitor visitLocalVariableAnnotation(int typeRef, TypePath typePath, Label[] start, Label[] end, int[] index,
                                                          String descriptor, boolean visible) {
        return annotation("localAnnotation", typeRef, String.valueOf(typePath), start, end, index, descriptor, visible);
    }

    @Override
    public void visitLineNumber(int line, Label start) {
        lines.add(line);
        line("lineAt", start);
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
        line("maxs", maxStack, maxLocals);
    }
}
