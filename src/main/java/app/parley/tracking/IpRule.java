package app.parley.tracking;

import app.parley.core.Refusal;
import java.net.InetAddress;
import java.util.regex.Pattern;

/**
 * A blocking rule over IP addresses (docs/PRODUCT.md §3): one address ({@code 192.168.0.7}), a wildcard over
 * IPv4 octets ({@code 192.168.0.*}, {@code 10.*.*.*}) or a CIDR block ({@code 10.0.0.0/8}, {@code 2001:db8::/32}).
 */
public record IpRule(String pattern, byte[] network, int prefixBits) {
    private static final Pattern WILDCARD = Pattern.compile("^(\\d{1,3}|\\*)(\\.(\\d{1,3}|\\*)){3}$");

    /** Parses a rule as an admin types it; refuses anything else with {@code invalid_ip_pattern}. */
    public static IpRule parse(String text) {
        String p = text == null ? "" : text.strip();
        try {
            if (p.contains("/")) {
                String[] parts = p.split("/", 2);
                InetAddress net = ClientAddress.parse(parts[0]);
                int bits = Integer.parseInt(parts[1]);
                if (net == null || bits < 0 || bits > net.getAddress().length * 8) throw bad(p);
                return new IpRule(p, net.getAddress(), bits);
            }
            if (p.contains("*")) {
                if (!WILDCARD.matcher(p).matches()) throw bad(p);
                String[] octets = p.split("\\.");
                byte[] net = new byte[4];
                int bits = 0;
                boolean wild = false;
                for (int i = 0; i < 4; i++) {
                    if (octets[i].equals("*")) { wild = true; continue; }
                    // 192.*.0.1 would not be a prefix: only trailing stars are allowed.
                    if (wild) throw bad(p);
                    int v = Integer.parseInt(octets[i]);
                    if (v > 255) throw bad(p);
                    net[i] = (byte) v;
                    bits += 8;
                }
                return new IpRule(p, net, bits);
            }
            InetAddress one = ClientAddress.parse(p);
            if (one == null) throw bad(p);
            return new IpRule(p, one.getAddress(), one.getAddress().length * 8);
        } catch (NumberFormatException e) {
            throw bad(p);
        }
    }

    private static Refusal bad(String p) {
        return new Refusal(Refusal.Kind.INVALID, "invalid_ip_pattern",
                "An IP rule is an address (192.168.0.7), a wildcard (192.168.0.*) or a CIDR block (10.0.0.0/8).", "pattern");
    }

    public boolean matches(String ip) {
        InetAddress a = ClientAddress.parse(ip);
        if (a == null) return false;
        byte[] b = a.getAddress();
        if (b.length != network.length) return false;
        int full = prefixBits / 8, rest = prefixBits % 8;
        for (int i = 0; i < full; i++) if (b[i] != network[i]) return false;
        if (rest == 0) return true;
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (b[full] & mask) == (network[full] & mask);
    }
}
