package app.parley.recording;

import app.parley.core.CardNumberMasker;
import app.parley.core.Refusal;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Masks card numbers in every text a recording carries, before it is stored: rrweb puts a page's text nodes,
 * attribute values, typed input and custom data all in JSON strings, so every string of the event tree is
 * walked; a regex over the compressed or serialised blob would miss escaped or split text. Numbers are left
 * alone: they are node ids, offsets and millisecond timestamps, a tenth of which pass the Luhn check.
 */
public final class RecordedText {
    // A full snapshot nests two JSON levels per DOM level: Parley's API mapper stops at 64, a shop's page goes deeper.
    private static final ObjectMapper EVENTS = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(4000).build())
            .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(4000).build())
            .build());

    private RecordedText() {}

    /** Recorded events as JSON, refused as a malformed chunk when they are not. */
    public static JsonNode parse(byte[] json) {
        try {
            return EVENTS.readTree(json);
        } catch (IOException e) {
            throw Refusal.badRequest("malformed_chunk", "A recording chunk is a JSON array of rrweb events.");
        }
    }

    public static byte[] write(JsonNode events) {
        try {
            return EVENTS.writeValueAsBytes(events);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Recorded events could not be written", e);
        }
    }

    /** Masks {@code node} in place; returns how many values were changed. */
    public static int maskCards(JsonNode node) {
        int changed = 0;
        if (node instanceof ObjectNode object) {
            List<Map.Entry<String, JsonNode>> replace = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode masked = maskedValue(e.getValue());
                if (masked != null) replace.add(Map.entry(e.getKey(), masked));
                else changed += maskCards(e.getValue());
            }
            for (var e : replace) object.set(e.getKey(), e.getValue());
            changed += replace.size();
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode masked = maskedValue(array.get(i));
                if (masked != null) {
                    array.set(i, masked);
                    changed++;
                } else {
                    changed += maskCards(array.get(i));
                }
            }
        }
        return changed;
    }

    /** The masked replacement of a text or number holding a card number; null when it holds none (or is no text). */
    private static JsonNode maskedValue(JsonNode value) {
        if (value.isTextual()) {
            String text = value.textValue();
            String masked = CardNumberMasker.mask(text);
            return masked.equals(text) ? null : TextNode.valueOf(masked);
        }
        return null;
    }
}
