package app.parley.tracking;

/**
 * What the card shows of a visitor's device (docs/PRODUCT.md §3): its class ({@code desktop}, {@code phone},
 * {@code tablet}, {@code bot}, {@code other}), the OS and the browser with their versions. Null fields are unknown.
 */
public record Device(String deviceClass, String osName, String osVersion, String browserName, String browserVersion) {
    public static final Device UNKNOWN = new Device(null, null, null, null, null);

    public boolean bot() {
        return DeviceClass.BOT.wire().equals(deviceClass);
    }
}
