package app.parley.tracking;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nl.basjes.parse.useragent.UserAgent;
import nl.basjes.parse.useragent.UserAgentAnalyzer;

/**
 * Parses user agents on the server with Yauaa (a maintained parser), completed by client hints. The analyzer takes
 * seconds and ~150 MB to build (STACK.md): it is built once, in the background, at start; until it is ready,
 * {@link #parse} waits for it (page views are parsed off the request threads, by the writer).
 */
public final class Devices {
    private final CompletableFuture<UserAgentAnalyzer> analyzer;

    private Devices(CompletableFuture<UserAgentAnalyzer> analyzer) {
        this.analyzer = analyzer;
    }

    // One analyzer per JVM: it is immutable once built and costs seconds of CPU and ~150 MB, so a second Parley in
    // the same process (tests, a restart in place) must not build another.
    private static final Object BUILD_LOCK = new Object();
    private static CompletableFuture<UserAgentAnalyzer> shared;

    /** Starts building the analyzer on a background thread (once per JVM). */
    public static Devices buildInBackground() {
        synchronized (BUILD_LOCK) {
            if (shared == null) {
                CompletableFuture<UserAgentAnalyzer> f = new CompletableFuture<>();
                Thread.ofPlatform().daemon().name("parley-yauaa-build").start(() -> {
                    try {
                        f.complete(UserAgentAnalyzer.newBuilder()
                                .hideMatcherLoadStats()
                                .withCache(20_000)
                                .withFields(UserAgent.DEVICE_CLASS, UserAgent.OPERATING_SYSTEM_NAME,
                                        UserAgent.OPERATING_SYSTEM_VERSION, UserAgent.AGENT_NAME, UserAgent.AGENT_VERSION,
                                        UserAgent.AGENT_CLASS)
                                .build());
                    } catch (Throwable e) {
                        f.completeExceptionally(e);
                    }
                });
                shared = f;
            }
            return new Devices(shared);
        }
    }

    // A browsing visitor's every page carries the same user agent and hints: the answer is kept (Yauaa's own cache
    // still builds a request per call, a quarter of the page-view writer's time).
    private final Map<ParseKey, Device> parsed = new java.util.LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ParseKey, Device> e) {
            return size() > 10_000;
        }
    };

    private record ParseKey(String userAgent, ClientHints hints) {}

    public Device parse(String userAgent, ClientHints hints) {
        if (userAgent == null || userAgent.isBlank()) return Device.UNKNOWN;
        ParseKey key = new ParseKey(userAgent, hints);
        synchronized (parsed) {
            Device known = parsed.get(key);
            if (known != null) return known;
        }
        Device d = analyse(userAgent, hints);
        synchronized (parsed) {
            parsed.put(key, d);
        }
        return d;
    }

    private Device analyse(String userAgent, ClientHints hints) {
        UserAgentAnalyzer a = analyzer.join();
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put("User-Agent", userAgent);
        if (hints != null) headers.putAll(hints.headers());
        UserAgent ua;
        synchronized (a) {
            // Yauaa's analyzer is not safe for concurrent use; the writer is its only caller anyway.
            ua = a.parse(headers);
        }
        Device parsed = new Device(deviceClass(ua.getValue(UserAgent.DEVICE_CLASS), ua.getValue(UserAgent.AGENT_CLASS)),
                known(ua.getValue(UserAgent.OPERATING_SYSTEM_NAME)), known(ua.getValue(UserAgent.OPERATING_SYSTEM_VERSION)),
                known(ua.getValue(UserAgent.AGENT_NAME)), known(ua.getValue(UserAgent.AGENT_VERSION)));
        return asStated(userAgent, parsed, hints != null && hints.platformVersion() != null);
    }

    private static final Pattern FROZEN_ANDROID = Pattern.compile("Android (\\d+); K\\)");
    private static final Pattern CHROME_OS = Pattern.compile("CrOS \\S+ (\\d+(?:\\.\\d+)*)\\)");
    private static final Pattern FACEBOOK_APP = Pattern.compile("FBAV/(\\d+(?:\\.\\d+)*)");

    /**
     * The card reports what the string (and the hints) state, where Yauaa guesses past them or gives up:
     * a frozen string's version is "that or later" (Chrome's UA reduction freezes Windows NT 10.0 and Android 10; K),
     * Chrome OS's version is the platform version in its CrOS token (Yauaa substitutes the browser's), a UA that
     * claims a Linux desktop (Samsung Internet's "desktop site") is one, and the Facebook app's in-app browser is named.
     */
    static Device asStated(String ua, Device d, boolean hinted) {
        String deviceClass = d.deviceClass(), os = d.osName(), osVersion = d.osVersion();
        String browser = d.browserName(), browserVersion = d.browserVersion();
        if (d.bot()) return d;
        if ("Android".equals(os) && !ua.contains("Android")) {
            os = ua.contains("Linux") ? "Linux" : null;
            osVersion = null;
            deviceClass = DeviceClass.DESKTOP.wire();
        }
        if (!hinted && osVersion == null) {
            if (ua.contains("Windows NT 10.0")) osVersion = ">=10";
            Matcher m = FROZEN_ANDROID.matcher(ua);
            if (m.find()) osVersion = ">=" + m.group(1);
        }
        Matcher cros = CHROME_OS.matcher(ua);
        if (cros.find()) osVersion = cros.group(1);
        Matcher fb = FACEBOOK_APP.matcher(ua);
        if (fb.find()) {
            browser = "Facebook (in-app)";
            browserVersion = fb.group(1);
        }
        return new Device(deviceClass, os, osVersion, browser, browserVersion);
    }

    /** Yauaa's device classes in the card's words; crawlers, scripts and hackers are all bots (not visitors). */
    static String deviceClass(String yauaa, String agentClass) {
        if (agentClass != null && (agentClass.startsWith("Robot") || agentClass.equals("Special")
                || agentClass.equals("Hacker") || agentClass.equals("Cloud Application"))) return DeviceClass.BOT.wire();
        return (switch (yauaa == null ? "" : yauaa) {
            case "Desktop" -> DeviceClass.DESKTOP;
            case "Phone", "Mobile" -> DeviceClass.PHONE;
            case "Tablet" -> DeviceClass.TABLET;
            case "Robot", "Robot Mobile", "Robot Imitator", "Hacker", "Anonymized" -> DeviceClass.BOT;
            default -> DeviceClass.OTHER;
        }).wire();
    }

    private static String known(String v) {
        if (v == null || v.isBlank() || v.startsWith("??") || v.equals("Unknown") || v.startsWith("Hacker")) return null;
        return v;
    }
}
