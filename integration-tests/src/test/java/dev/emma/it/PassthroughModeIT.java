package dev.emma.it;

/** mode=passthrough: instrumented and counted, the native allocator serves everything. */
class PassthroughModeIT extends ScenariosInMode {
    PassthroughModeIT() {
        super("passthrough");
    }
}
