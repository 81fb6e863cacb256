package app.parley;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.account.AgentStatus;
import app.parley.account.Role;
import app.parley.conversation.Channel;
import app.parley.conversation.CloseType;
import app.parley.conversation.ConversationStatus;
import app.parley.conversation.MessageKind;
import app.parley.conversation.MessageSubType;
import app.parley.conversation.Reader;
import app.parley.conversation.TimelineEvent;
import app.parley.store.EventType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/ issue #10 point 5 kept by a build: outside the enum that owns it, no Java string literal in src/main/java
 * spells a status, a message kind or sub-type, a timeline event, a close type, a channel, a reader, an agent
 * status or an event type. Code names them by their enum; only the enum knows the text.
 *
 * <p>A literal used as a name rather than a value is left alone: the first argument of a naming call
 * ({@code put("email", …)}, {@code bind("contact", …)}, {@code getString("status")}) or a key of
 * {@code Map.of}, a JSON field or SQL
 * parameter that happens to share a word with a wire name. SQL text (text blocks) is not scanned: it may keep a
 * literal such as {@code c.status = 'open'}.
 */
class TypedNamesSourceTest {
    private static final Path MAIN = Path.of("src/main/java/app/parley");

    /**
     * Literals that spell a wire name but mean another set of names: the visitor socket's frame types
     * (docs/PROTOCOL.md, {@code {"type":"message"}}), the fields of its frames ({@code "email"}), and the webhook
     * events of the same names as Parley's own (Smartsupp's {@code contact.created} and {@code contact.updated}, docs/WEBHOOKS.md).
     */
    private static final Set<String> ELSEWHERE = Set.of(
            "http/VisitorSocket.java:\"message\"",
            "http/VisitorSocket.java:\"email\"",
            "webhook/WebhookEvent.java:\"contact.created\"",
            "webhook/WebhookEvent.java:\"contact.updated\"",
            // The command-line word of `java -jar parley.jar admin …` (the instance administrator's tool), not a role.
            "Parley.java:\"admin\"");

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\\\n]|\\\\.)*\"");

    @Test
    void noWireNameIsSpelledOutsideItsEnum() throws IOException {
        Map<String, String> owner = new HashMap<>();
        add(owner, ConversationStatus.values(), ConversationStatus::wire);
        add(owner, CloseType.values(), CloseType::wire);
        add(owner, MessageKind.values(), MessageKind::wire);
        add(owner, MessageSubType.values(), MessageSubType::wire);
        add(owner, TimelineEvent.values(), TimelineEvent::wire);
        add(owner, Channel.values(), Channel::wire);
        add(owner, Reader.values(), Reader::wire);
        add(owner, AgentStatus.values(), AgentStatus::wire);
        add(owner, EventType.values(), EventType::wire);
        add(owner, Role.values(), Role::wire);
        Set<String> enumFiles = Set.of("conversation/ConversationStatus.java", "conversation/CloseType.java",
                "conversation/MessageKind.java", "conversation/MessageSubType.java", "conversation/TimelineEvent.java",
                "conversation/Channel.java", "conversation/Reader.java", "account/AgentStatus.java",
                "store/EventType.java", "account/Role.java");

        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String rel = MAIN.relativize(file).toString().replace('\\', '/');
                if (enumFiles.contains(rel)) continue;
                String code = withoutCommentsAndTextBlocks(Files.readString(file));
                Matcher m = STRING.matcher(code);
                while (m.find()) {
                    String literal = m.group();
                    String value = literal.substring(1, literal.length() - 1);
                    if (!owner.containsKey(value) || namesSomething(code, m.start(), m.end())) continue;
                    if (ELSEWHERE.contains(rel + ":" + literal)) continue;
                    found.add(rel + ":" + line(code, m.start()) + " " + literal + " (use " + owner.get(value) + ")");
                }
            }
        }
        assertThat(found).as("wire names spelled outside their enum").isEmpty();
    }

    private static <E extends Enum<E>> void add(Map<String, String> owner, E[] values, Function<E, String> wire) {
        Arrays.stream(values).forEach(v -> owner.putIfAbsent(wire.apply(v), v.getDeclaringClass().getSimpleName() + "." + v.name()));
    }

    /** Calls whose first argument names a JSON field, a column, a parameter or an input: a key, not a value. */
    private static final Set<String> NAMING = Set.of("put", "putObject", "putArray", "set", "bind", "bindArray",
            "getString", "getLong", "getInt", "getBoolean", "getObject", "path", "get", "has", "queryParam", "header",
            "email", "name", "requiredName", "shortText", "longText", "url", "messageText", "invalid");

    /** A key: the first argument of a naming call, or a key of {@code Map.of(k1, v1, k2, v2, …)}. */
    private static boolean namesSomething(String code, int start, int end) {
        int after = end;
        while (after < code.length() && Character.isWhitespace(code.charAt(after))) after++;
        if (after >= code.length() || code.charAt(after) != ',' && code.charAt(after) != ')') return false;
        int depth = 0;
        int commas = 0;
        int open = start - 1;
        for (; open >= 0; open--) {
            char ch = code.charAt(open);
            if (ch == ')' || ch == ']' || ch == '}') depth++;
            else if (ch == '(' || ch == '[' || ch == '{') {
                if (depth == 0) break;
                depth--;
            } else if (ch == ',' && depth == 0) commas++;
            else if (ch == ';' && depth == 0) return false;
        }
        if (open < 0 || code.charAt(open) != '(') return false;
        int nameEnd = open;
        while (nameEnd > 0 && Character.isWhitespace(code.charAt(nameEnd - 1))) nameEnd--;
        int nameStart = nameEnd;
        while (nameStart > 0 && Character.isJavaIdentifierPart(code.charAt(nameStart - 1))) nameStart--;
        String method = code.substring(nameStart, nameEnd);
        if (method.equals("of") && code.substring(0, nameStart).endsWith("Map.")) return commas % 2 == 0;
        return commas == 0 && NAMING.contains(method);
    }

    /** Blanks comments and text blocks (keeping line breaks, so line numbers hold); string literals stay. */
    static String withoutCommentsAndTextBlocks(String src) {
        StringBuilder out = new StringBuilder(src.length());
        int i = 0;
        while (i < src.length()) {
            if (src.startsWith("\"\"\"", i)) {
                int close = src.indexOf("\"\"\"", i + 3);
                while (close > 0 && src.charAt(close - 1) == '\\') close = src.indexOf("\"\"\"", close + 1);
                i = blank(src, out, i, close + 3);
            } else if (src.startsWith("//", i)) {
                int eol = src.indexOf('\n', i);
                i = blank(src, out, i, eol < 0 ? src.length() : eol);
            } else if (src.startsWith("/*", i)) {
                i = blank(src, out, i, src.indexOf("*/", i + 2) + 2);
            } else if (src.charAt(i) == '"' || src.charAt(i) == '\'') {
                char quote = src.charAt(i);
                int j = i + 1;
                while (j < src.length() && src.charAt(j) != quote) j += src.charAt(j) == '\\' ? 2 : 1;
                out.append(src, i, j + 1);
                i = j + 1;
            } else {
                out.append(src.charAt(i++));
            }
        }
        return out.toString();
    }

    private static int blank(String src, StringBuilder out, int from, int to) {
        for (int k = from; k < to; k++) out.append(src.charAt(k) == '\n' ? '\n' : ' ');
        return to;
    }

    private static int line(String code, int at) {
        return (int) code.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
    }
}
