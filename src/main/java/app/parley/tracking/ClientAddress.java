package app.parley.tracking;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The visitor's address: the socket's peer, or the {@code X-Forwarded-For} address a trusted proxy
 * ({@code PARLEY_TRUSTED_PROXIES}) names; and its truncated form, the only one stored when the account anonymises IPs.
 */
public final class ClientAddress {
    private static final Pattern V4 = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");
    private static final Pattern V6 = Pattern.compile("^[0-9A-Fa-f:.]{2,45}$");

    private final List<IpRule> trustedProxies;

    public ClientAddress(List<IpRule> trustedProxies) {
        this.trustedProxies = List.copyOf(trustedProxies);
    }

    /** From PARLEY_TRUSTED_PROXIES: addresses, wildcards or CIDR blocks separated by commas. */
    public static ClientAddress of(String trustedProxies) {
        List<IpRule> rules = new ArrayList<>();
        if (trustedProxies != null) {
            for (String p : trustedProxies.split(",")) if (!p.isBlank()) rules.add(IpRule.parse(p));
        }
        return new ClientAddress(rules);
    }

    /**
     * The client's address: the peer's, unless the peer is a trusted proxy; then the right-most address of
     * {@code X-Forwarded-For} that is not itself a trusted proxy (the ones to its left are the client's to forge).
     */
    public String of(String peer, String forwardedFor) {
        if (peer == null || forwardedFor == null || !trusted(peer)) return peer;
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (parse(hop) == null) return peer;
            if (!trusted(hop)) return hop;
        }
        return peer;
    }

    private boolean trusted(String ip) {
        return trustedProxies.stream().anyMatch(r -> r.matches(ip));
    }

    /** IPv4 without its last octet (203.0.113.0), IPv6 kept to its /48: what an anonymising account stores. */
    public static String truncated(String ip) {
        InetAddress a = parse(ip);
        if (a == null) return null;
        byte[] b = a.getAddress();
        int keep = a instanceof Inet4Address ? 3 : 6;
        for (int i = keep; i < b.length; i++) b[i] = 0;
        try {
            return InetAddress.getByAddress(b).getHostAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** A literal address, never a DNS lookup: null for anything that is not one. */
    public static InetAddress parse(String ip) {
        if (ip == null) return null;
        String s = ip.strip();
        boolean v4 = V4.matcher(s).matches();
        if (!v4 && !(s.contains(":") && V6.matcher(s).matches())) return null;
        if (v4) for (String o : s.split("\\.")) if (Integer.parseInt(o) > 255) return null;
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
