package app.parley.files;

import app.parley.core.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A file Parley keeps for a conversation, without its bytes. {@code messageId} is null while the upload is pending. */
public record StoredFile(long id, String publicId, long accountId, long conversationId, Long messageId, Source source,
                         String filename, String contentType, int size, Integer width, Integer height,
                         boolean hasThumbnail) {

    /** Who or what brought the file in. */
    public enum Source { VISITOR, AGENT, EMAIL, MESSENGER }

    public boolean image() {
        return FileType.image(contentType);
    }

    /** What the message's {@code data.file} says of the file: enough to draw it without another request. */
    public ObjectNode describe() {
        ObjectNode f = Json.object();
        f.put("id", publicId);
        f.put("name", filename);
        f.put("content_type", FileType.served(contentType).contentType().replace("; charset=utf-8", ""));
        f.put("size", size);
        f.put("image", image());
        if (width != null) f.put("width", width);
        if (height != null) f.put("height", height);
        f.put("thumbnail", hasThumbnail);
        return f;
    }

    /** The message data for a message that is this file. */
    public String messageData() {
        ObjectNode data = Json.object();
        data.set("file", describe());
        return Json.write(data);
    }
}
