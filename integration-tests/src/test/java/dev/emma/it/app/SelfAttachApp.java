package dev.emma.it.app;

import com.sun.tools.attach.VirtualMachine;

/** Attaches the agent (args[0], its options args[1]) to itself and says so. */
public final class SelfAttachApp {

    private SelfAttachApp() {
    }

    public static void main(String[] args) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(String.valueOf(ProcessHandle.current().pid()));
        try {
            vm.loadAgent(args[0], args.length > 1 ? args[1] : "");
        } finally {
            vm.detach();
        }
        System.out.println("attached");
    }
}
