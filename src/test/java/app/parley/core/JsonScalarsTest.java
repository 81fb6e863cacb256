package app.parley.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link Json#scalars}: the scalars an event consumer reads from a payload (top level, or dotted), without its tree. */
class JsonScalarsTest {
    @Test
    void readsTopLevelScalarsOnlyAndSkipsWhatIsNested() {
        String payload = """
                {"id":4001,"data":{"kind":"nested","id":7},"client_id":null,"list":[{"kind":"x"}],
                 "kind":"message","sub_type":"contact","text":"a \\"kind\\": \\"note\\" inside text","ok":true}""";
        Map<String, String> m = Json.scalars(payload, Set.of("id", "kind", "sub_type", "client_id", "ok", "missing"));
        assertThat(m).containsExactlyInAnyOrderEntriesOf(Map.of("id", "4001", "kind", "message", "sub_type", "contact", "ok", "true"));
    }

    @Test
    void stopsOnceItHasThemAllAndTellsNonObjectsAndBrokenJsonApart() {
        // Everything after the wanted members is never read: a broken tail does not matter once they are found.
        assertThat(Json.scalars("{\"id\":1,\"kind\":\"note\",\"text\":", Set.of("id", "kind"))).containsEntry("kind", "note");
        assertThat(Json.scalars("[1,2]", Set.of("id"))).isEmpty();
        assertThatThrownBy(() -> Json.scalars("{\"id\":", Set.of("id"))).isInstanceOf(Refusal.class);
    }

    @Test
    void aDottedNameReadsAMemberOfAnObjectMemberAndOnlyThat() {
        String payload = """
                {"kind":"event","data":{"close_type":"visitor_close","nested":{"close_type":"deeper"},"n":3},
                 "close_type":"top","event_type":"chat_close"}""";
        Map<String, String> m = Json.scalars(payload, Set.of("kind", "event_type", "data.close_type", "data.missing"));
        assertThat(m).containsExactlyInAnyOrderEntriesOf(
                Map.of("kind", "event", "event_type", "chat_close", "data.close_type", "visitor_close"));
        // Found inside the object, all wanted: nothing after it is read.
        assertThat(Json.scalars("{\"data\":{\"close_type\":\"x\"},\"text\":", Set.of("data.close_type")))
                .containsEntry("data.close_type", "x");
    }
}
