package app.parley.account;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;

/** Argon2id (RFC 9106, second recommended option: 64 MiB, 3 passes) through password4j. */
public final class Passwords {
    private static final Argon2Function ARGON2 = Argon2Function.getInstance(65536, 3, 1, 32, Argon2.ID);
    // Checked against when the email is unknown, so a login takes as long whether or not the account exists.
    private static final String DUMMY = hash("parley-timing-equaliser");

    private Passwords() {}

    public static String hash(String password) {
        return Password.hash(password).addRandomSalt(16).with(ARGON2).getResult();
    }

    public static boolean matches(String password, String hash) {
        if (hash == null) {
            Password.check(password, DUMMY).with(ARGON2);
            return false;
        }
        return Password.check(password, hash).with(ARGON2);
    }

    public static void validate(String password) {
        if (password == null || password.length() < 8) {
            throw app.parley.core.Refusal.invalid("password", "The password must have at least 8 characters.");
        }
        if (password.length() > 200) {
            throw app.parley.core.Refusal.invalid("password", "The password must have at most 200 characters.");
        }
    }
}
