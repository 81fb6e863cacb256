package app.parley.channel.email;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.Locale;

/** Addresses as settings write them ({@code "Example Shop <support@shop.example>"} or bare). */
final class MailAddresses {
    private MailAddresses() {}

    /** The bare address, lower case; the input itself when it does not parse. */
    static String bare(String address) {
        try {
            return new InternetAddress(address, false).getAddress().toLowerCase(Locale.ROOT);
        } catch (AddressException e) {
            return address.strip().toLowerCase(Locale.ROOT);
        }
    }
}
