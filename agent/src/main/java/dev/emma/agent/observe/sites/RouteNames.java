package dev.emma.agent.observe.sites;

import dev.emma.bridge.Route;

/** The routes as the sites table and the JFR event spell them: the stats line's names. */
final class RouteNames {

    private RouteNames() {
    }

    static String of(Route route) {
        return switch (route) {
            case DIRECT -> "direct";
            case FFM -> "ffm";
            case LINKER -> "linker";
            case UNSAFE -> "unsafe";
            case JDK -> "jdk";
        };
    }
}
