package app.parley.channel.email;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A conversation's reply address, {@code reply+<token>@<inbound domain>}: the first key threading tries. */
public record ReplyAddress(String token, String domain) {
    private static final Pattern TOKEN = Pattern.compile("[a-z0-9]{6,40}");

    public String address() {
        return "reply+" + token + "@" + domain;
    }

    /** The token of an address of the inbound domain, if it is a reply address (any case; plus tags are ours). */
    public static Optional<String> tokenOf(String address, String domain) {
        if (address == null) return Optional.empty();
        String a = address.trim().toLowerCase(Locale.ROOT);
        if (a.startsWith("<") && a.endsWith(">")) a = a.substring(1, a.length() - 1);
        int at = a.lastIndexOf('@');
        if (at < 0 || !a.substring(at + 1).equals(domain) || !a.startsWith("reply+")) return Optional.empty();
        String token = a.substring("reply+".length(), at);
        Matcher m = TOKEN.matcher(token);
        return m.matches() ? Optional.of(token) : Optional.empty();
    }

    /** A new token: lower-case letters and digits, hard to guess (the address lets anyone write into the thread). */
    public static String newToken() {
        var random = new java.security.SecureRandom();
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder b = new StringBuilder(20);
        for (int i = 0; i < 20; i++) b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        return b.toString();
    }
}
