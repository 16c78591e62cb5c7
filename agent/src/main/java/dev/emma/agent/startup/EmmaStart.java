package dev.emma.agent.startup;

import dev.emma.agent.log.AgentLog;
import dev.emma.Emma;
import dev.emma.EmmaConfig;

/** Starts the global Emma instance and proves it works before any JDK code is routed to it. */
final class EmmaStart {

    private EmmaStart() {
    }

    static Emma start(EmmaConfig config) throws NativeAccessDenied {
        try {
            try {
                Emma.configureGlobal(config);
            } catch (IllegalStateException e) {
                AgentLog.warning("emma-agent: the global Emma instance already exists; its configuration is kept (" + e.getMessage() + ")");
            }
            Emma emma = Emma.global();
            long probe = emma.allocate(64);
            emma.free(probe);
            return emma;
        } catch (RuntimeException | Error e) {
            IllegalCallerException denied = findDenied(e);
            if (denied != null) {
                throw new NativeAccessDenied(denied);
            }
            throw e;
        }
    }

    private static IllegalCallerException findDenied(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IllegalCallerException denied) {
                return denied;
            }
        }
        return null;
    }

    /** {@code --illegal-native-access=deny} (or a module policy) refused Emma its FFM calls. */
    static final class NativeAccessDenied extends Exception {
        private static final long serialVersionUID = 1L;

        NativeAccessDenied(IllegalCallerException cause) {
            super(cause);
        }
    }
}
