package dev.emma.agent.config;

import java.time.Duration;

/**
 * The settings of the global Emma instance that the agent passes on; null means "Emma's default".
 * Plain values, not {@code EmmaConfig}: the configuration is read before the core is loaded.
 */
public record CoreSettings(Boolean checks, Duration purgeDelay, Long maxMappedBytes, Integer sharedHeaps,
                           Boolean backgroundPurge) {

    public static CoreSettings defaults() {
        return new CoreSettings(null, null, null, null, null);
    }

    CoreSettings withChecks(boolean value) {
        return new CoreSettings(value, purgeDelay, maxMappedBytes, sharedHeaps, backgroundPurge);
    }

    CoreSettings withPurgeDelay(Duration value) {
        return new CoreSettings(checks, value, maxMappedBytes, sharedHeaps, backgroundPurge);
    }

    CoreSettings withMaxMappedBytes(long value) {
        return new CoreSettings(checks, purgeDelay, value, sharedHeaps, backgroundPurge);
    }

    CoreSettings withSharedHeaps(int value) {
        return new CoreSettings(checks, purgeDelay, maxMappedBytes, value, backgroundPurge);
    }

    CoreSettings withBackgroundPurge(boolean value) {
        return new CoreSettings(checks, purgeDelay, maxMappedBytes, sharedHeaps, value);
    }
}
