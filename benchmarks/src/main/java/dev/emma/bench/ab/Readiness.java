package dev.emma.bench.ab;

import dev.emma.bench.harness.ChildJvm;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Waits until the service is ready: its port accepts a connection, or a line of its output matches a regex. */
final class Readiness {

    /** How the wait ended. {@code port} is the service's port when known, else -1. */
    record Result(State state, int port, String line) {
    }

    enum State { READY, EXITED, TIMED_OUT }

    private Readiness() {
    }

    /** Whether something accepts connections on the loopback {@code port} now. */
    static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 250);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static Result awaitPort(ChildJvm service, int port, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (true) {
            if (service.exitCode().isPresent()) {
                return new Result(State.EXITED, port, null);
            }
            if (accepts(port)) {
                return new Result(State.READY, port, null);
            }
            if (System.nanoTime() > deadline) {
                return new Result(State.TIMED_OUT, port, null);
            }
            Thread.sleep(100);
        }
    }

    /** Matches each new line of {@code logs}; the regex's first group, if any, is taken as the port. */
    static Result awaitLog(ChildJvm service, Pattern regex, List<Path> logs, long timeoutMillis)
            throws InterruptedException, IOException {
        List<LogTail> tails = logs.stream().map(LogTail::new).toList();
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (true) {
            boolean exited = service.exitCode().isPresent(); // read before the files: their last lines count
            for (LogTail tail : tails) {
                for (String line : tail.newLines()) {
                    Matcher m = regex.matcher(line);
                    if (m.find()) {
                        return new Result(State.READY, port(m).orElse(-1), line);
                    }
                }
            }
            if (exited) {
                return new Result(State.EXITED, -1, null);
            }
            if (System.nanoTime() > deadline) {
                return new Result(State.TIMED_OUT, -1, null);
            }
            Thread.sleep(100);
        }
    }

    private static OptionalInt port(Matcher m) {
        if (m.groupCount() < 1 || m.group(1) == null) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(m.group(1)));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }
}
