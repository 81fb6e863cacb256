package app.parley.http;

import app.parley.core.Json;
import io.javalin.json.JsonMapper;
import java.lang.reflect.Type;

/** Javalin reads request bodies and writes responses with Parley's one JSON configuration ({@link Json}). */
final class JsonBodies implements JsonMapper {
    @Override
    public String toJsonString(Object obj, Type type) {
        return Json.write(obj);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T fromJsonString(String json, Type targetType) {
        return Json.read(json, (Class<T>) targetType);
    }
}
