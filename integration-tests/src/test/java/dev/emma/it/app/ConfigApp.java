package dev.emma.it.app;

import dev.emma.Emma;
import dev.emma.EmmaConfig;

/** Prints the configuration of the global Emma instance, the one the agent routes to. */
public final class ConfigApp {

    private ConfigApp() {
    }

    public static void main(String[] args) {
        EmmaConfig config = Emma.global().config();
        System.out.println("maxMappedBytes=" + config.maxMappedBytes() + " purgeDelay=" + config.purgeDelay().toMillis() + "ms");
    }
}
