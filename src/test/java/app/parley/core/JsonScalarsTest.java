package app.parley.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link Json#scalars}: the top-level scalars an event consumer reads from a payload, without its tree. */
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
}
