package app.parley.account;

/** A shop: its team, its chat box (identified by the public {@code chatKey}) and its conversations. */
public record Account(long id, String name, String chatKey) {}
