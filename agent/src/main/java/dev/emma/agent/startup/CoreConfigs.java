package dev.emma.agent.startup;

import dev.emma.EmmaConfig;
import dev.emma.agent.config.CoreSettings;

/** The core's configuration: Emma's own ({@code emma.*} properties included), overridden by the agent's options. */
final class CoreConfigs {

    private CoreConfigs() {
    }

    static EmmaConfig toEmmaConfig(CoreSettings settings) {
        EmmaConfig config = EmmaConfig.fromSystemProperties();
        if (settings.checks() != null) {
            config = config.withChecks(settings.checks());
        }
        if (settings.purgeDelay() != null) {
            config = config.withPurgeDelay(settings.purgeDelay());
        }
        if (settings.maxMappedBytes() != null) {
            config = config.withMaxMappedBytes(settings.maxMappedBytes());
        }
        if (settings.sharedHeaps() != null) {
            config = config.withSharedHeaps(settings.sharedHeaps());
        }
        if (settings.backgroundPurge() != null) {
            config = config.withBackgroundPurge(settings.backgroundPurge());
        }
        return config;
    }
}
