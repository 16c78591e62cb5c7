package dev.emma.bench.ab;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the complete lines appended to a file since the last call (the service writes its stdout
 * and stderr to files, so that a chatty service never blocks on a pipe the runner reads too slowly).
 */
final class LogTail {

    private final Path file;
    private long position;
    private final StringBuilder partial = new StringBuilder();

    LogTail(Path file) {
        this.file = file;
    }

    /** The lines completed since the last call; a line still being written waits for the next. */
    List<String> newLines() throws IOException {
        List<String> lines = new ArrayList<>();
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            if (length <= position) {
                return lines;
            }
            byte[] bytes = new byte[(int) Math.min(length - position, 1 << 20)];
            in.seek(position);
            in.readFully(bytes);
            position += bytes.length;
            partial.append(new String(bytes, StandardCharsets.UTF_8));
        }
        int start = 0;
        for (int newline; (newline = partial.indexOf("\n", start)) >= 0; start = newline + 1) {
            lines.add(partial.substring(start, newline));
        }
        partial.delete(0, start);
        return lines;
    }
}
