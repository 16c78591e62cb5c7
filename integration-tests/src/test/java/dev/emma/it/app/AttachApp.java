package dev.emma.it.app;

import com.sun.tools.attach.VirtualMachine;
import java.nio.ByteBuffer;

/**
 * Allocates off-heap memory, attaches the agent to itself, then frees and reallocates the memory
 * from before the attach (it must stay foreign: the JDK's allocator frees it) and checks that new
 * memory comes from Emma. Prints one PASS/FAIL line per step.
 */
public final class AttachApp {

    private AttachApp() {
    }

    public static void main(String[] args) throws Exception {
        sun.misc.Unsafe unsafe = Memory.unsafe();
        ByteBuffer before = ByteBuffer.allocateDirect(50_000);
        Memory.fill(before, 3);
        long block = unsafe.allocateMemory(1000);
        Memory.fill(block, 1000, 4);
        long toFree = unsafe.allocateMemory(64);

        VirtualMachine vm = VirtualMachine.attach(String.valueOf(ProcessHandle.current().pid()));
        try {
            vm.loadAgent(args[0], args.length > 1 ? args[1] : "");
        } finally {
            vm.detach();
        }
        step("attached", () -> Check.that(AgentProbe.isActive(), "no MBean right after the attach returned"));
        step("preAttachMemoryIsForeign", () -> {
            Check.that(!AgentProbe.emmaOwns(AgentProbe.address(before)), "a pre-attach buffer is Emma's");
            Check.that(!AgentProbe.emmaOwns(block), "a pre-attach block is Emma's");
        });
        step("foreignReallocationStaysForeign", () -> {
            long moved = unsafe.reallocateMemory(block, 200_000);
            Check.that(!AgentProbe.emmaOwns(moved), "a reallocated foreign block became Emma's");
            Memory.checkFilled(moved, 1000, 4, "reallocated foreign block");
            unsafe.freeMemory(moved);
        });
        step("foreignFreesGoToTheJdk", () -> {
            long foreign = AgentProbe.attribute("ForeignFrees");
            unsafe.freeMemory(toFree);
            Memory.checkFilled(before, 3, "pre-attach direct buffer");
            Memory.free(before);
            Check.that(AgentProbe.attribute("ForeignFrees") >= foreign + 2, "ForeignFrees did not count the 2 frees");
        });
        step("newMemoryIsEmmas", () -> {
            ByteBuffer after = ByteBuffer.allocateDirect(50_000);
            Check.that(AgentProbe.emmaOwns(AgentProbe.address(after)), "a post-attach buffer is not Emma's");
            Memory.checkZero(after, "post-attach buffer");
            Memory.free(after);
        });
    }

    private static void step(String name, ScenarioApp.Scenario body) {
        try {
            body.run();
            System.out.println("PASS " + name);
        } catch (Throwable e) {
            System.out.println("FAIL " + name + ": " + e);
            e.printStackTrace();
        }
    }
}
