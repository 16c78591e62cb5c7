package dev.emma.agent.entry;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The early read of {@code strict} reads the agent arguments as the real parser does (keys trimmed). */
class StrictFlagTest {

    @Test
    void keysAndValuesAreTrimmedAsTheRealParserDoes() {
        assertTrue(StrictFlag.isSet("strict = true"));
        assertTrue(StrictFlag.isSet("mode=emma, strict =TRUE "));
        assertTrue(StrictFlag.isSet(" strict "));
        assertTrue(StrictFlag.isSet("summary,strict"));
        assertFalse(StrictFlag.isSet("strict = false"));
        assertFalse(StrictFlag.isSet("strict=ture")); // a bad value: not strict (the real parser rejects it)
    }

    @Test
    void otherKeysAreNotStrict() {
        assertFalse(System.getProperties().containsKey("emma.strict") || System.getenv().containsKey("EMMA_STRICT"),
                "this test needs neither emma.strict nor EMMA_STRICT");
        assertFalse(StrictFlag.isSet("stricter=true"));
        assertFalse(StrictFlag.isSet("mode=strict"));
        assertFalse(StrictFlag.isSet(null));
    }
}
