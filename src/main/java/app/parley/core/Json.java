package app.parley.core;

import app.parley.core.Input;
import app.parley.core.Refusal;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.stream.Collectors;

/** The one JSON configuration of Parley: snake_case, ISO dates, unknown fields refused. */
public final class Json {
    public static final ObjectMapper MAPPER = createMapper();

    private static ObjectMapper createMapper() {
        // Jackson's default buffer pool is per thread; socket frames are read on ever-new virtual threads, so every
        // frame would allocate fresh buffers (most of the server's garbage): share one pool instead.
        ObjectMapper m = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
                .recyclerPool(com.fasterxml.jackson.core.util.JsonRecyclerPools.sharedConcurrentDequePool())
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
                // {"text":"harmless","text":"sneaky"}: one reader (a proxy, a log) may see the first, Jackson the last.
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build());
        m.registerModule(new JavaTimeModule());
        m.registerModule(new com.fasterxml.jackson.databind.module.SimpleModule("parley-text")
                .addDeserializer(String.class, new CheckedStrings()));
        m.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        m.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        m.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        m.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        m.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        m.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        m.setSerializationInclusion(JsonInclude.Include.ALWAYS);
        return m;
    }

    // Every string of every body: control characters other than line breaks and tabs are refused at the parser
    // (400 invalid_characters, naming the field), so no route can forget it; one-line fields refuse line breaks too
    // (Input). U+0000 was silently removed before: PostgreSQL cannot store it, and no person types it.
    private static final class CheckedStrings extends com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer<String> {
        CheckedStrings() {
            super(String.class);
        }

        @Override
        public String deserialize(com.fasterxml.jackson.core.JsonParser p, com.fasterxml.jackson.databind.DeserializationContext ctx)
                throws java.io.IOException {
            String value = p.hasToken(com.fasterxml.jackson.core.JsonToken.VALUE_STRING) ? p.getText()
                    : (String) ctx.handleUnexpectedToken(String.class, p);
            String field = p.currentName();
            Input.refuseControlCharacters(field == null ? "body" : field, value, true);
            return value;
        }
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write JSON for " + value.getClass().getName(), e);
        }
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Reads a client's JSON, turning every kind of bad input into a 400/422 with a stable code. */
    public static <T> T read(String body, Class<T> type) {
        if (body == null || body.isBlank()) {
            throw Refusal.badRequest("malformed_json", "The request body must be a JSON object.");
        }
        try {
            T value = MAPPER.readValue(body, type);
            if (value == null) throw Refusal.badRequest("malformed_json", "The request body must be a JSON object.");
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw unknownField(e.getPropertyName());
        } catch (MismatchedInputException e) {
            String field = path(e);
            if (field.isEmpty()) throw Refusal.badRequest("malformed_json", "The request body must be a JSON object.");
            throw new Refusal(Refusal.Kind.INVALID, "validation_failed", "Field '" + field + "' has the wrong type.", field);
        } catch (JsonMappingException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Refusal api) throw api;
            String field = path(e);
            throw new Refusal(Refusal.Kind.INVALID, "validation_failed",
                    field.isEmpty() ? "The request body is not valid." : "Field '" + field + "' is not valid.", field.isEmpty() ? null : field);
        } catch (JsonProcessingException e) {
            throw refusal(e, "The request body is not valid JSON.");
        }
    }

    public static JsonNode tree(String body) {
        try {
            return MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw refusal(e, "The message is not valid JSON.");
        }
    }

    /**
     * The scalar members with these names of a JSON object, read by the streaming parser, which stops once it has
     * them all: what an event consumer needs of a payload (an id, a kind) without building the payload's tree or
     * reading the text after them. A dotted name ({@code data.close_type}) is a member of an object member. A member
     * that is missing, null or not a scalar is left out.
     */
    public static java.util.Map<String, String> scalars(String json, java.util.Set<String> names) {
        java.util.Map<String, String> out = new java.util.HashMap<>();
        try (com.fasterxml.jackson.core.JsonParser p = MAPPER.getFactory().createParser(json)) {
            if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) return out;
            readScalars(p, "", names, out);
            return out;
        } catch (JsonProcessingException e) {
            throw refusal(e, "The message is not valid JSON.");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void readScalars(com.fasterxml.jackson.core.JsonParser p, String prefix, java.util.Set<String> names,
                                    java.util.Map<String, String> out) throws java.io.IOException {
        while (out.size() < names.size() && p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
            String name = prefix + p.currentName();
            com.fasterxml.jackson.core.JsonToken value = p.nextToken();
            if (value == com.fasterxml.jackson.core.JsonToken.START_OBJECT && names.stream().anyMatch(n -> n.startsWith(name + "."))) {
                readScalars(p, name + ".", names, out);
                // Left early (all found): the caller stops too; else the object's end was read.
            } else if (!value.isScalarValue()) {
                p.skipChildren();
            } else if (value != com.fasterxml.jackson.core.JsonToken.VALUE_NULL && names.contains(name)) {
                out.put(name, p.getText());
            }
        }
    }

    private static final String DUPLICATE = "Duplicate field '";

    // A key is the client's text too: echoed masked.
    private static Refusal unknownField(String name) {
        String field = app.parley.core.CardNumberMasker.mask(name);
        return new Refusal(Refusal.Kind.BAD_REQUEST, "unknown_field", "Unknown field '" + field + "'.", field);
    }

    private static Refusal refusal(JsonProcessingException e, String malformed) {
        String said = e.getOriginalMessage();
        if (e instanceof StreamReadException && said != null && said.startsWith(DUPLICATE)) {
            String field = app.parley.core.CardNumberMasker.mask(said.substring(DUPLICATE.length(), said.lastIndexOf('\'')));
            return new Refusal(Refusal.Kind.BAD_REQUEST, "duplicate_key", "The key '" + field + "' appears twice; send each key once.", field);
        }
        return Refusal.badRequest("malformed_json", malformed);
    }

    public static <T> T convert(JsonNode node, Class<T> type) {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (UnrecognizedPropertyException e) {
            throw unknownField(e.getPropertyName());
        } catch (JsonMappingException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Refusal api) throw api;
            String field = path(e);
            throw new Refusal(Refusal.Kind.INVALID, "validation_failed", "Field '" + field + "' has the wrong type.", field);
        } catch (JsonProcessingException e) {
            throw Refusal.badRequest("malformed_json", "The message is not valid JSON.");
        }
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : String.valueOf(ref.getIndex()))
                .collect(Collectors.joining("."));
    }
}
