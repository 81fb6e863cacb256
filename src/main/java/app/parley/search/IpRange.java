package app.parley.search;

import app.parley.core.Refusal;
import java.util.regex.Pattern;

/**
 * An IP address filter as an agent writes it: one address ({@code 203.0.113.7}), a network in CIDR form
 * ({@code 203.0.113.0/24}, {@code 2001:db8::/32}) or the leading parts of an IPv4 address ({@code 203.0.113} or
 * {@code 203.0.}), which is the network of those parts. Read into PostgreSQL's {@code inet}/{@code cidr} forms,
 * so one index on the address serves all three.
 */
public record IpRange(String network, boolean exact) {
    private static final Pattern V4_PART = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern V6 = Pattern.compile("[0-9a-fA-F:.]{2,45}");

    public static IpRange parse(String field, String value) {
        String v = value == null ? "" : value.strip();
        String refusal = field + " is an IP address (203.0.113.7), a network (203.0.113.0/24) or its first parts (203.0.113).";
        if (v.isEmpty() || v.length() > 50) throw Refusal.invalid(field, refusal);
        int slash = v.indexOf('/');
        if (slash >= 0) {
            String address = v.substring(0, slash);
            int bits = bits(v.substring(slash + 1), address.contains(":") ? 128 : 32, field, refusal);
            if (address.contains(":")) {
                if (!V6.matcher(address).matches()) throw Refusal.invalid(field, refusal);
            } else if (!ipv4(address, 4)) {
                throw Refusal.invalid(field, refusal);
            }
            // The host bits are cleared by PostgreSQL's set_masklen, done in SQL: here only the form is checked.
            return new IpRange(address + "/" + bits, false);
        }
        if (v.contains(":")) {
            if (!V6.matcher(v).matches()) throw Refusal.invalid(field, refusal);
            return new IpRange(v, true);
        }
        String trimmed = v.endsWith(".") ? v.substring(0, v.length() - 1) : v;
        String[] parts = trimmed.split("\\.", -1);
        if (parts.length < 1 || parts.length > 4 || !ipv4(trimmed, parts.length)) throw Refusal.invalid(field, refusal);
        if (parts.length == 4) return new IpRange(trimmed, true);
        StringBuilder net = new StringBuilder(trimmed);
        for (int i = parts.length; i < 4; i++) net.append(".0");
        return new IpRange(net + "/" + parts.length * 8, false);
    }

    private static boolean ipv4(String address, int count) {
        String[] parts = address.split("\\.", -1);
        if (parts.length != count) return false;
        for (String p : parts) if (!V4_PART.matcher(p).matches()) return false;
        return true;
    }

    private static int bits(String s, int max, String field, String refusal) {
        if (!s.matches("\\d{1,3}")) throw Refusal.invalid(field, refusal);
        int bits = Integer.parseInt(s);
        if (bits > max) throw Refusal.invalid(field, refusal);
        return bits;
    }
}
