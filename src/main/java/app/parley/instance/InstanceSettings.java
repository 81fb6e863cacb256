package app.parley.instance;

import java.util.Map;

/** The instance administrator's secret ({@code PARLEY_INSTANCE_SECRET}); null: the admin API is turned off. */
public record InstanceSettings(String secret) {
    public static InstanceSettings from(Map<String, String> values) {
        String s = values.get("PARLEY_INSTANCE_SECRET");
        return new InstanceSettings(s == null || s.isBlank() ? null : s.trim());
    }

    public boolean enabled() {
        return secret != null;
    }

    /** Never print the secret. */
    @Override
    public String toString() {
        return "InstanceSettings[enabled=" + enabled() + "]";
    }
}
