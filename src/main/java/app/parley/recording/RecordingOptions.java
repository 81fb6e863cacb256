package app.parley.recording;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An account's recording choices (docs/PRODUCT.md §4). Inputs are always masked and password and payment fields
 * never recorded; these only add to that.
 */
public record RecordingOptions(
        boolean enabled,
        @JsonProperty("mask_all_text") boolean maskAllText,
        @JsonProperty("mask_numbers") boolean maskNumbers,
        @JsonProperty("mask_emails") boolean maskEmails,
        @JsonProperty("consent_mode") boolean consentMode,
        @JsonProperty("exclude_mobile") boolean excludeMobile,
        @JsonProperty("retention_days") int retentionDays) {
    public static final int DEFAULT_RETENTION_DAYS = 10;
    public static final int MAX_RETENTION_DAYS = 90;
    public static final RecordingOptions DEFAULTS = new RecordingOptions(true, false, false, false, false, false, DEFAULT_RETENTION_DAYS);
}
