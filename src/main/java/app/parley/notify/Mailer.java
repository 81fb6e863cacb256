package app.parley.notify;

/**
 * Sends one notification mail through the account's SMTP server. An interface notify owns and the composition
 * root fills with the email channel's sender: features do not use each other.
 */
@FunctionalInterface
public interface Mailer {
    /** Throws when the mail could not be handed to the server (the job tries again). */
    void send(long accountId, String to, String subject, String text, String html) throws Exception;
}
