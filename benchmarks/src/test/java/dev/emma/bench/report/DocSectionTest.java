package dev.emma.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DocSectionTest {

    @Test
    void replacesOnlyTheGeneratedPart() {
        String doc = "# Title\nprose\n" + DocSection.BEGIN + "\nold\n" + DocSection.END + "\nafter\n";
        assertEquals("# Title\nprose\n" + DocSection.BEGIN + "\n\nnew table\n\n" + DocSection.END + "\nafter\n",
                DocSection.replace(doc, "new table\n"));
    }

    @Test
    void appendsWhenThereAreNoMarkers() {
        assertEquals("# Title\n\n" + DocSection.BEGIN + "\n\nx\n\n" + DocSection.END + "\n", DocSection.replace("# Title", "x"));
    }
}
