package dev.emma.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigParserTest {

    private final Map<String, String> properties = new HashMap<>();
    private final Map<String, String> environment = new HashMap<>();
    private final ConfigParser parser = new ConfigParser(properties::get, environment::get);

    @Test
    void defaultsAreEmmaWithoutLogging() {
        AgentConfig config = parser.parse(null);
        assertEquals(Mode.EMMA, config.mode());
        assertEquals(Duration.ZERO, config.statsPeriod());
        assertFalse(config.summary());
        assertFalse(config.strict());
        assertEquals(CoreSettings.defaults(), config.core());
        assertEquals(0, config.sites());
    }

    @Test
    void sitesIsACountFromZeroTo1000() {
        assertEquals(20, parser.parse("sites=20").sites());
        environment.put("EMMA_SITES", "5");
        assertEquals(5, parser.parse(null).sites());
        ConfigException e = assertThrows(ConfigException.class, () -> parser.parse("sites=1001"));
        assertEquals("bad value '1001' for emma-agent option sites (from -javaagent arguments); valid: sites=<0..1000: allocation"
                + " sites printed at exit, 0 = off>", e.getMessage());
        assertThrows(ConfigException.class, () -> parser.parse("sites"));
    }

    @Test
    void argumentsWinOverPropertiesWhichWinOverEnvironment() {
        environment.put("EMMA_MODE", "off");
        environment.put("EMMA_SUMMARY", "true");
        environment.put("EMMA_STATS", "1m");
        properties.put("emma.mode", "passthrough");
        properties.put("emma.stats", "10s");
        AgentConfig config = parser.parse("mode=emma");
        assertEquals(Mode.EMMA, config.mode());
        assertEquals(Duration.ofSeconds(10), config.statsPeriod());
        assertTrue(config.summary());
        assertEquals(Mode.PASSTHROUGH, parser.parse("").mode());
        properties.clear();
        assertEquals(Mode.OFF, parser.parse("").mode());
    }

    @Test
    void everyOptionIsRead() {
        AgentConfig config = parser.parse("mode=passthrough, checks=true,stats=250ms,summary,strict=true,"
                + "purgeDelay=2s,maxMappedBytes=512m,sharedHeaps=8,backgroundPurge=false");
        assertEquals(Mode.PASSTHROUGH, config.mode());
        assertEquals(Duration.ofMillis(250), config.statsPeriod());
        assertTrue(config.summary());
        assertTrue(config.strict());
        assertEquals(new CoreSettings(true, Duration.ofSeconds(2), 512L << 20, 8, false), config.core());
    }

    @Test
    void statsOffIsNoPeriod() {
        assertEquals(Duration.ZERO, parser.parse("stats=off").statsPeriod());
    }

    @Test
    void environmentNamesAreUpperSnakeCase() {
        environment.put("EMMA_MAX_MAPPED_BYTES", "4g");
        environment.put("EMMA_PURGE_DELAY", "750ms");
        CoreSettings core = parser.parse(null).core();
        assertEquals(4L << 30, core.maxMappedBytes());
        assertEquals(Duration.ofMillis(750), core.purgeDelay());
    }

    @Test
    void unknownKeyNamesEveryValidOption() {
        ConfigException e = assertThrows(ConfigException.class, () -> parser.parse("mode=emma,colour=blue"));
        assertTrue(e.getMessage().startsWith("unknown emma-agent option 'colour'; valid options: mode=emma|passthrough|off, checks=true|false, "
                + "stats=<period, e.g. 10s or 500ms>|off, summary=true|false, strict=true|false"), e.getMessage());
    }

    @Test
    void badValueNamesTheOptionItsSourceAndItsValidValues() {
        properties.put("emma.checks", "yes");
        ConfigException e = assertThrows(ConfigException.class, () -> parser.parse(null));
        assertEquals("bad value 'yes' for emma-agent option checks (from system property emma.checks); valid: checks=true|false", e.getMessage());
        properties.clear();
        e = assertThrows(ConfigException.class, () -> parser.parse("sharedHeaps=0"));
        assertEquals("bad value '0' for emma-agent option sharedHeaps (from -javaagent arguments); valid: sharedHeaps=<1..1024>", e.getMessage());
        assertThrows(ConfigException.class, () -> parser.parse("stats=-5s"));
        assertThrows(ConfigException.class, () -> parser.parse("mode=fast"));
        assertThrows(ConfigException.class, () -> parser.parse("maxMappedBytes=12q"));
    }

    @Test
    void valueOptionsNeedAValue() {
        ConfigException e = assertThrows(ConfigException.class, () -> parser.parse("mode"));
        assertEquals("emma-agent option 'mode' needs a value: mode=emma|passthrough|off", e.getMessage());
    }

    @Test
    void strictIsFoundEvenInABadConfiguration() {
        assertTrue(parser.strictRequested("colour=blue,strict"));
        assertFalse(parser.strictRequested("colour=blue"));
        environment.put("EMMA_STRICT", "true");
        assertTrue(parser.strictRequested(null));
    }
}
