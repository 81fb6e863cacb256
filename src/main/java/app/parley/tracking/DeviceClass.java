package app.parley.tracking;

import java.util.Locale;

/** What kind of device a visitor browses with; crawlers and scripts are bots, not visitors. */
public enum DeviceClass {
    DESKTOP, PHONE, TABLET, BOT, OTHER;

    /** The name stored and sent: {@code desktop}, {@code phone}, … */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
