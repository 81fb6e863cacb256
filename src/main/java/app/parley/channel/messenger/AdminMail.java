package app.parley.channel.messenger;

/**
 * Sends one mail to an admin through the account's SMTP server. An interface the channel owns and the composition
 * root fills with the email channel's sender: features do not use each other.
 */
@FunctionalInterface
public interface AdminMail {
    /** Throws when the mail could not be handed to the server (the job tries again). */
    void send(long accountId, String to, String subject, String text, String html) throws Exception;
}
