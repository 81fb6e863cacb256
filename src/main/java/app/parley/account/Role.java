package app.parley.account;

/** docs/PRODUCT.md §8: the owner (one per account), admins ("full access") and agents ("limited access"). */
public enum Role {
    OWNER, ADMIN, AGENT;

    public boolean fullAccess() {
        return this != AGENT;
    }

    @com.fasterxml.jackson.annotation.JsonValue
    public String wire() {
        return name().toLowerCase();
    }

    public static Role parse(String s) {
        return switch (s) {
            case "owner" -> OWNER;
            case "admin" -> ADMIN;
            case "agent" -> AGENT;
            default -> throw new IllegalArgumentException("Unknown role " + s);
        };
    }
}
