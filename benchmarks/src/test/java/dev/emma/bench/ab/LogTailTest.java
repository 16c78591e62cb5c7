package dev.emma.bench.ab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {

    @Test
    void completeLinesOnlyAndEachOnce(@TempDir Path dir) throws Exception {
        Path log = Files.writeString(dir.resolve("service.log"), "starting\nlisten");
        LogTail tail = new LogTail(log);

        assertEquals(List.of("starting"), tail.newLines());
        Files.writeString(log, "ing on 8080\nready\n", StandardOpenOption.APPEND);
        assertEquals(List.of("listening on 8080", "ready"), tail.newLines());
        assertEquals(List.of(), tail.newLines());
    }
}
