package dev.emma.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionsTest {

    private final Map<String, String> properties = new HashMap<>();
    private final Map<String, String> environment = new HashMap<>();

    private Options parse(String arguments) {
        return Options.parse(arguments, properties, environment);
    }

    @Test
    void defaultsComeFromTheTable() {
        Options options = parse(null);
        assertEquals("emma", options.choice(Option.MODE));
        assertEquals("premain", options.choice(Option.INSTALL));
        assertEquals(Duration.ZERO, options.period(Option.STATS));
        assertFalse(options.flag(Option.SUMMARY));
        assertFalse(options.flag(Option.STRICT));
        assertNull(options.valueIfSet(Option.PURGE_DELAY));
        assertEquals(Options.DEFAULT, options.source(Option.MODE));
    }

    @Test
    void argumentsWinOverPropertiesWhichWinOverEnvironment() {
        environment.put("EMMA_MODE", "off");
        environment.put("EMMA_SUMMARY", "true");
        environment.put("EMMA_STATS", "1m");
        properties.put("emma.mode", "passthrough");
        properties.put("emma.stats", "10s");
        Options options = parse("mode=emma");
        assertEquals("emma", options.choice(Option.MODE));
        assertEquals(Options.AGENT_ARGUMENT, options.source(Option.MODE));
        assertEquals(Duration.ofSeconds(10), options.period(Option.STATS));
        assertEquals("system property emma.stats", options.source(Option.STATS));
        assertTrue(options.flag(Option.SUMMARY));
        assertEquals("environment variable EMMA_SUMMARY", options.source(Option.SUMMARY));
        assertEquals("passthrough", parse("").choice(Option.MODE));
        properties.clear();
        assertEquals("off", parse("").choice(Option.MODE));
    }

    @Test
    void everyOptionHasTheSameNameInEverySource() {
        for (Option option : Option.values()) {
            assertEquals(option, Option.byKey(option.key()));
            assertEquals(option, Option.bySystemProperty("emma." + option.key()));
            String snake = option.key().replaceAll("([A-Z])", "_$1").toUpperCase(java.util.Locale.ROOT);
            assertEquals("EMMA_" + snake, option.environmentVariable());
            assertEquals(option, Option.byEnvironmentVariable("EMMA_" + snake));
        }
    }

    @Test
    void everyOptionIsReadInItsGrammar() {
        Options options = parse("mode=passthrough, checks=true,stats=250ms,summary,strict=TRUE,install=background,"
                + "purgeDelay=2s,maxMappedBytes=512m,sharedHeaps=8,backgroundPurge=false");
        assertEquals("passthrough", options.choice(Option.MODE));
        assertEquals("background", options.choice(Option.INSTALL));
        assertEquals(Duration.ofMillis(250), options.period(Option.STATS));
        assertTrue(options.flag(Option.SUMMARY));
        assertTrue(options.flag(Option.STRICT));
        assertEquals(Boolean.TRUE, options.valueIfSet(Option.CHECKS));
        assertEquals(Duration.ofSeconds(2), options.valueIfSet(Option.PURGE_DELAY));
        assertEquals(512L << 20, options.valueIfSet(Option.MAX_MAPPED_BYTES));
        assertEquals(8, options.valueIfSet(Option.SHARED_HEAPS));
        assertEquals(Boolean.FALSE, options.valueIfSet(Option.BACKGROUND_PURGE));
        assertEquals(Duration.ZERO, parse("stats=off").period(Option.STATS));
    }

    @Test
    void unknownNamesInArgumentsAndPropertiesAreErrorsNamingEveryValidOption() {
        OptionException e = assertThrows(OptionException.class, () -> parse("mode=emma,colour=blue"));
        assertTrue(e.getMessage().startsWith("unknown option 'colour' (-javaagent argument); valid options: mode=emma|passthrough|off, "
                + "install=premain|background, checks=true|false, stats=off|<period, e.g. 10s or 500ms>, summary=true|false"), e.getMessage());
        properties.put("emma.purgeDelayMillis", "25"); // the old name: the purge delay has one name now
        e = assertThrows(OptionException.class, () -> parse(null));
        assertTrue(e.getMessage().startsWith("unknown option '-Demma.purgeDelayMillis' (system property); valid options: "), e.getMessage());
        properties.clear();
        properties.put("java.home", "/elsewhere");
        environment.put("PATH", "/bin");
        parse(null); // other names are not ours
    }

    /** The environment is shared with other tools: the old EMMA coverage tool's EMMA_HOME must not turn Emma off. */
    @Test
    void unknownEnvironmentVariablesAreIgnoredKnownOnesStillRead() {
        environment.put("EMMA_HOME", "/opt/emma");
        environment.put("EMMA_COLOUR", "blue");
        environment.put("EMMA_SUMMARY", "true");
        Options options = parse(null);
        assertTrue(options.flag(Option.SUMMARY));
        assertEquals("environment variable EMMA_SUMMARY", options.source(Option.SUMMARY));
        environment.put("EMMA_STATS", "often"); // a known name with a bad value still fails
        OptionException e = assertThrows(OptionException.class, () -> parse(null));
        assertTrue(e.getMessage().startsWith("bad value 'often' for option stats (environment variable EMMA_STATS)"), e.getMessage());
    }

    @Test
    void aKnownEnvironmentVariableMisspeltInCaseOrUnderscoresStillFails() {
        // Another tool's variable is ignored; a misspelt Emma option must not pass silently as one.
        for (String name : new String[] {"EMMA_PURGEDELAY", "EMMA_Purge_Delay", "EMMA_Mode"}) {
            environment.clear();
            environment.put(name, "x");
            OptionException e = assertThrows(OptionException.class, () -> parse(null), name);
            assertTrue(e.getMessage().contains(name), e.getMessage());
        }
    }

    @Test
    void badValuesNameTheOptionItsSourceAndItsValidForms() {
        environment.put("EMMA_SUMMARY", "ture");
        OptionException e = assertThrows(OptionException.class, () -> parse(null));
        assertEquals("bad value 'ture' for option summary (environment variable EMMA_SUMMARY); valid: summary=true|false", e.getMessage());
        environment.clear();
        e = assertThrows(OptionException.class, () -> parse("sharedHeaps=0"));
        assertEquals("bad value '0' for option sharedHeaps (-javaagent argument); valid: sharedHeaps=<1..1024>", e.getMessage());
        properties.put("emma.purgeDelay", "500");
        e = assertThrows(OptionException.class, () -> parse(null));
        assertEquals("bad value '500' for option purgeDelay (system property emma.purgeDelay); valid: purgeDelay=<period, e.g. 500ms or 2s>",
                e.getMessage());
        properties.clear();
        for (String bad : new String[] {"stats=-5s", "mode=fast", "maxMappedBytes=12q", "maxMappedBytes=-1", "checks=yes", "install=later"}) {
            assertThrows(OptionException.class, () -> parse(bad), bad);
        }
    }

    @Test
    void valueOptionsNeedAValueAndNoOptionIsGivenTwice() {
        OptionException e = assertThrows(OptionException.class, () -> parse("mode"));
        assertEquals("option mode needs a value (-javaagent argument); valid: mode=emma|passthrough|off", e.getMessage());
        e = assertThrows(OptionException.class, () -> parse("mode=emma,mode=off"));
        assertEquals("option mode is given twice in the -javaagent arguments", e.getMessage());
    }
}
