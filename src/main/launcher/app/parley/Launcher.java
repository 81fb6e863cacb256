package app.parley;

import java.lang.reflect.InvocationTargetException;

/**
 * The jar's entry point, compiled for Java 8 so that any java can load it: on a JDK older than 21 it says so in one
 * line and exits 1, where Parley's own classes would fail with an UnsupportedClassVersionError before main runs.
 */
public final class Launcher {
    static final int REQUIRED = 21;

    private Launcher() {}

    public static void main(String[] args) throws Throwable {
        int running = major(System.getProperty("java.specification.version"));
        if (running < REQUIRED) {
            System.err.println("Parley cannot start: it needs Java " + REQUIRED + " or newer, and this is Java "
                    + System.getProperty("java.version") + " (" + System.getProperty("java.home") + ")."
                    + " Install a JDK 21+ and start Parley with its java.");
            System.exit(1);
        }
        try {
            // By name: this class is compiled for Java 8, against no class of Parley's.
            Class.forName("app.parley.Parley").getMethod("main", String[].class).invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** "1.8" is Java 8; "17", "21" and "25" are themselves. */
    static int major(String specification) {
        if (specification == null) return -1;
        String s = specification.startsWith("1.") ? specification.substring(2) : specification;
        int dot = s.indexOf('.');
        try {
            return Integer.parseInt(dot < 0 ? s : s.substring(0, dot));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
