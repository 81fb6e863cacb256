package app.parley.tracking;

import java.util.Locale;

/** Where a visitor is, from their IP address (DB-IP Lite); null fields are unknown. */
public record Location(String countryCode, String region, String city) {
    public static final Location UNKNOWN = new Location(null, null, null);

    /** The country's English name from its ISO code. */
    public String country() {
        if (countryCode == null || countryCode.length() != 2) return null;
        String name = Locale.of("", countryCode).getDisplayCountry(Locale.ENGLISH);
        return name.isBlank() || name.equalsIgnoreCase(countryCode) ? null : name;
    }
}
