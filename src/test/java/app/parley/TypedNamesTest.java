package app.parley;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.parley.account.AgentStatus;
import app.parley.conversation.Channel;
import app.parley.conversation.CloseType;
import app.parley.conversation.ConversationStatus;
import app.parley.conversation.MessageKind;
import app.parley.conversation.MessageSubType;
import app.parley.conversation.Reader;
import app.parley.conversation.TimelineEvent;
import app.parley.core.Json;
import app.parley.core.Refusal;
import app.parley.store.EventType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Each typed name's wire names are exactly the ones docs/ promise, and each reads back from its wire name and
 * writes to JSON as that name (the API and the protocol do not change with the types).
 */
class TypedNamesTest {

    @Test
    void conversationStatusIsWhatTheApiPromises() {
        assertWire(ConversationStatus.values(), ConversationStatus::wire, ConversationStatus::fromWire,
                between("API.md", "A conversation: `{\"id\",\"status\":\"", "\""));
    }

    @Test
    void agentStatusIsWhatTheApiPromises() {
        assertWire(AgentStatus.values(), AgentStatus::wire, AgentStatus::fromWire,
                between("API.md", "PATCH /auth/me` | agent | `{\"status\":\"", "\""));
    }

    @Test
    void messageKindAndSubTypeAreWhatTheProtocolPromises() {
        assertWire(MessageKind.values(), MessageKind::wire, MessageKind::fromWire,
                between("PROTOCOL.md", "\"kind\":\"", "\""));
        assertWire(MessageSubType.values(), MessageSubType::wire, MessageSubType::fromWire,
                between("PROTOCOL.md", "\"sub_type\":\"", "\""));
    }

    @Test
    void readersAreWhatTheProtocolPromises() {
        assertWire(Reader.values(), Reader::wire, Reader::fromWire, all("PROTOCOL.md", "reader\":\"([a-z_]+)\""));
    }

    @Test
    void channelsCloseTypesAndTimelineEventsAreWhatTheProductPromises() {
        assertWire(Channel.values(), Channel::wire, Channel::fromWire,
                ticked(paragraph("PRODUCT.md", "Every conversation and message has its channel")));
        assertWire(CloseType.values(), CloseType::wire, CloseType::fromWire,
                ticked(paragraph("PRODUCT.md", "the timeline then says who closed it")));
        assertWire(TimelineEvent.values(), TimelineEvent::wire, TimelineEvent::fromWire,
                ticked(paragraph("PRODUCT.md", "written into the thread as a timeline event")));
    }

    @Test
    void eventTypesAreTheDurableEventsTheProtocolPromises() {
        assertWire(EventType.values(), EventType::wire, EventType::fromWire,
                all("PROTOCOL.md", "`(?:\\{\"type\":\")?([a-z]+\\.[a-z_]+)[`\"]"));
    }

    @Test
    void anUnknownValueFromAClientIsRefusedNamingItsField() {
        assertThatThrownBy(() -> AgentStatus.parse("status", "busy")).isInstanceOfSatisfying(Refusal.class, e -> {
            assertThat(e.code()).isEqualTo("validation_failed");
            assertThat(e.field()).isEqualTo("status");
            assertThat(e.getMessage()).contains("'online'", "'offline'");
        });
        assertThatThrownBy(() -> ConversationStatus.parse("status", "pending")).isInstanceOf(Refusal.class);
        assertThatThrownBy(() -> MessageKind.agentWritten("event")).isInstanceOfSatisfying(Refusal.class,
                e -> assertThat(e.field()).isEqualTo("type"));
        assertThat(MessageKind.agentWritten(null)).isEqualTo(MessageKind.MESSAGE);
        assertThat(MessageKind.agentWritten("note")).isEqualTo(MessageKind.NOTE);
    }

    @Test
    void anUnknownStoredValueIsABugNotARefusal() {
        assertThatThrownBy(() -> EventType.fromWire("message.deleted")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Channel.fromWire(null)).isInstanceOf(IllegalArgumentException.class);
    }

    private static <E extends Enum<E>> void assertWire(E[] values, Function<E, String> wire, Function<String, E> fromWire,
                                                       Set<String> documented) {
        Set<String> names = Arrays.stream(values).map(wire).collect(Collectors.toCollection(LinkedHashSet::new));
        assertThat(names).as("wire names of %s", values[0].getDeclaringClass().getSimpleName())
                .containsExactlyInAnyOrderElementsOf(documented);
        for (E v : values) {
            assertThat(fromWire.apply(wire.apply(v))).isSameAs(v);
            assertThat(Json.write(v)).isEqualTo("\"" + wire.apply(v) + "\"");
        }
    }

    /** The values listed as {@code a|b|c} right after {@code start}, up to {@code end}. */
    private static Set<String> between(String doc, String start, String end) {
        String text = doc(doc);
        int from = text.indexOf(start);
        assertThat(from).as("%s holds %s", doc, start).isNotNegative();
        from += start.length();
        return Set.of(text.substring(from, text.indexOf(end, from)).split("\\|"));
    }

    private static Set<String> all(String doc, String regex) {
        Matcher m = Pattern.compile(regex).matcher(doc(doc));
        Set<String> out = new LinkedHashSet<>();
        while (m.find()) out.add(m.group(1));
        return out;
    }

    /** The list item or paragraph that holds {@code phrase}: up to the next blank line or list item. */
    private static String paragraph(String doc, String phrase) {
        String text = doc(doc);
        int at = text.indexOf(phrase);
        assertThat(at).as("%s holds %s", doc, phrase).isNotNegative();
        Matcher end = Pattern.compile("\n\\s*\n|\n- ").matcher(text);
        return text.substring(at, end.find(at) ? end.start() : text.length());
    }

    private static Set<String> ticked(String text) {
        Matcher m = Pattern.compile("`([a-z_]+)`").matcher(text);
        Set<String> out = new LinkedHashSet<>();
        while (m.find()) out.add(m.group(1));
        return out;
    }

    private static String doc(String name) {
        try {
            return Files.readString(Path.of("docs", name));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
