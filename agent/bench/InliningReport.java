import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a HotSpot {@code -XX:+LogCompilation} file and prints, for each C2 compilation of a method
 * whose name matches a pattern, the calls C2 did not inline and why, with the chain of inlined
 * frames above each (innermost first). Run as a source file: {@code java InliningReport.java LOG PATTERN [REASON]}.
 * Used by jit-inlining.sh to show where the agent path's inlining stops.
 */
public class InliningReport {

    private static final Pattern ATTR = Pattern.compile("(\\w+)='([^']*)'");

    public static void main(String[] args) throws Exception {
        String text = Files.readString(Path.of(args[0]));
        Pattern method = Pattern.compile(args[1]);
        String reason = args.length > 2 ? args[2] : "";
        Matcher task = Pattern.compile("<task ([^>]*)>(.*?)</task>", Pattern.DOTALL).matcher(text);
        while (task.find()) {
            Map<String, String> head = attributes(task.group(1));
            if (head.containsKey("level") && !head.get("level").equals("4") || !method.matcher(head.getOrDefault("method", "")).find()) {
                continue;
            }
            System.out.println("== C2 compilation " + head.get("compile_id") + ": " + head.get("method").split(" ")[0] + " " + head.get("method").split(" ")[1]
                    + (head.containsKey("osr_bci") ? " (OSR)" : ""));
            report(task.group(2), reason);
        }
    }

    private static void report(String body, String reason) {
        Map<String, String> klasses = new HashMap<>();
        Map<String, String> methods = new HashMap<>();
        Deque<String> chain = new ArrayDeque<>();
        String lastCall = "?";
        Matcher element = Pattern.compile("<(/?)(\\w+)([^>]*?)/?>").matcher(body);
        while (element.find()) {
            String name = element.group(2);
            Map<String, String> a = attributes(element.group(3));
            boolean closing = !element.group(1).isEmpty();
            switch (name) {
                case "klass" -> klasses.put(a.get("id"), a.get("name"));
                case "method" -> methods.put(a.get("id"), simple(klasses.get(a.get("holder"))) + "::" + a.get("name"));
                case "call" -> lastCall = methods.getOrDefault(a.get("method"), "?");
                case "parse" -> {
                    if (closing) {
                        chain.pop();
                    } else {
                        chain.push(methods.getOrDefault(a.get("method"), "?"));
                    }
                }
                case "inline_fail" -> {
                    String why = a.getOrDefault("reason", "").replace("&apos;", "'");
                    if (why.contains(reason)) {
                        List<String> above = new ArrayList<>(chain).subList(0, Math.min(6, chain.size()));
                        System.out.printf("  depth %2d  %-55s %-34s <- %s%n", chain.size(), lastCall, why, String.join(" < ", above));
                    }
                }
                default -> { }
            }
        }
    }

    private static String simple(String klass) {
        return klass == null ? "?" : klass.substring(klass.lastIndexOf('/') + 1);
    }

    private static Map<String, String> attributes(String text) {
        Map<String, String> map = new HashMap<>();
        Matcher m = ATTR.matcher(text);
        while (m.find()) {
            map.put(m.group(1), m.group(2));
        }
        return map;
    }
}
