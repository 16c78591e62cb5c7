package dev.emma.it;

/** mode=emma (the default): every off-heap path is served by Emma. */
class EmmaModeIT extends ScenariosInMode {
    EmmaModeIT() {
        super("emma");
    }
}
