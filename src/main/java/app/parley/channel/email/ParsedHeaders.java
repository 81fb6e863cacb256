package app.parley.channel.email;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The few headers read at the door, before the pipeline reads the whole mail. */
final class ParsedHeaders {
    private ParsedHeaders() {}

    static List<String> recipients(MimeMessage m) {
        List<String> out = new ArrayList<>();
        for (String name : List.of("Delivered-To", "X-Original-To", "To", "Cc")) {
            try {
                String[] values = m.getHeader(name);
                if (values == null) continue;
                for (String v : values) {
                    for (InternetAddress a : InternetAddress.parseHeader(v, false)) {
                        if (a.getAddress() != null) out.add(a.getAddress().toLowerCase(Locale.ROOT));
                    }
                }
            } catch (MessagingException ignored) {
                // a malformed header names nobody
            }
        }
        return out;
    }

    static String from(MimeMessage m) {
        try {
            String[] values = m.getHeader("From");
            if (values == null) return null;
            InternetAddress[] a = InternetAddress.parseHeader(values[0], false);
            return a.length == 0 || a[0].getAddress() == null ? null : a[0].getAddress().toLowerCase(Locale.ROOT);
        } catch (MessagingException e) {
            return null;
        }
    }
}
