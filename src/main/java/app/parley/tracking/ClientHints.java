package app.parley.tracking;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * User-Agent Client Hints the chat box read from {@code navigator.userAgentData.getHighEntropyValues()}, as the
 * {@code Sec-CH-UA-*} headers Yauaa understands. Frozen user agents hide Windows 11 and reduced Android ones hide
 * the model; only these tell. Each value is clipped: the page controls them.
 */
public record ClientHints(String platform, String platformVersion, String model, Boolean mobile, String fullVersionList) {
    public static final ClientHints NONE = new ClientHints(null, null, null, null, null);

    /** The request headers Yauaa's analyzer reads, quoted as browsers send them. */
    Map<String, String> headers() {
        Map<String, String> h = new LinkedHashMap<>();
        if (platform != null) h.put("Sec-Ch-Ua-Platform", quoted(platform));
        if (platformVersion != null) h.put("Sec-Ch-Ua-Platform-Version", quoted(platformVersion));
        if (model != null) h.put("Sec-Ch-Ua-Model", quoted(model));
        if (mobile != null) h.put("Sec-Ch-Ua-Mobile", mobile ? "?1" : "?0");
        if (fullVersionList != null) h.put("Sec-Ch-Ua-Full-Version-List", fullVersionList);
        return h;
    }

    private static String quoted(String v) {
        return '"' + v.replace("\"", "") + '"';
    }

    /** A hint as sent by a page, or null when absent, not text, or too long to be real. */
    public static String clip(String v) {
        if (v == null || v.isBlank() || v.length() > 300) return null;
        for (int i = 0; i < v.length(); i++) if (Character.isISOControl(v.charAt(i))) return null;
        return v.strip();
    }
}
