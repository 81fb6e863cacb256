package app.parley.channel.email;

import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/** Sends one mail through an SMTP server (Jakarta Mail), and says whether a failure is worth trying again. */
public final class SmtpClient {
    /** Why a mail was not sent; {@code permanent}: trying again would fail the same way (a 5xx, a bad address). */
    public static final class Failure extends Exception {
        private final boolean permanent;

        Failure(String message, boolean permanent, Throwable cause) {
            super(message, cause);
            this.permanent = permanent;
        }

        public boolean permanent() {
            return permanent;
        }
    }

    private SmtpClient() {}

    public static Session session(MailSettings.Smtp smtp, String envelopeFrom) {
        Properties p = new Properties();
        boolean implicitTls = smtp.tls() && smtp.port() == 465;
        String proto = implicitTls ? "smtps" : "smtp";
        p.put("mail.transport.protocol", proto);
        p.put("mail." + proto + ".host", smtp.host());
        p.put("mail." + proto + ".port", Integer.toString(smtp.port()));
        p.put("mail." + proto + ".connectiontimeout", "10000");
        p.put("mail." + proto + ".timeout", "30000");
        p.put("mail." + proto + ".writetimeout", "30000");
        if (smtp.tls() && !implicitTls) p.put("mail.smtp.starttls.required", "true");
        if (smtp.tls()) p.put("mail." + proto + ".starttls.enable", "true");
        if (smtp.user() != null) p.put("mail." + proto + ".auth", "true");
        // Bounces and auto-replies come back to the conversation's reply address, where the pipeline reads them.
        if (envelopeFrom != null) p.put("mail." + proto + ".from", envelopeFrom);
        return Session.getInstance(p);
    }

    public static void send(Session session, MailSettings.Smtp smtp, MimeMessage m) throws Failure {
        try (Transport t = session.getTransport()) {
            if (smtp.user() != null) t.connect(smtp.user(), smtp.password());
            else t.connect();
            Address[] to = m.getAllRecipients();
            t.sendMessage(m, to);
        } catch (AuthenticationFailedException e) {
            throw new Failure("The SMTP server refused the user name or password.", false, e);
        } catch (SMTPAddressFailedException e) {
            throw new Failure(clip("The server refused the address: " + e.getReturnCode() + " " + e.getMessage()),
                    e.getReturnCode() >= 500, e);
        } catch (SMTPSendFailedException e) {
            throw new Failure(clip("The server refused the mail: " + e.getReturnCode() + " " + e.getMessage()),
                    e.getReturnCode() >= 500, e);
        } catch (SendFailedException e) {
            Exception next = e.getNextException();
            if (next instanceof SMTPAddressFailedException a) {
                throw new Failure(clip("The server refused the address: " + a.getReturnCode() + " " + a.getMessage()),
                        a.getReturnCode() >= 500, e);
            }
            throw new Failure(clip("Not sent: " + e.getMessage()), false, e);
        } catch (MessagingException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new Failure(clip("Could not reach the SMTP server " + smtp.host() + ":" + smtp.port() + " ("
                    + cause.getClass().getSimpleName() + ")"), false, e);
        }
    }

    private static String clip(String s) {
        String one = s.replace('\r', ' ').replace('\n', ' ').strip();
        return one.length() <= 500 ? one : one.substring(0, 500);
    }
}
