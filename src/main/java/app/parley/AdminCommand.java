package app.parley;

import app.parley.account.AccessChanges;
import app.parley.core.Refusal;
import app.parley.instance.Instance;
import app.parley.store.DataFolderInUse;
import app.parley.store.Database;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar parley.jar admin <command>}: the instance administrator's tool. It opens the configured database
 * only (no web server, no journal), so it runs beside live nodes on an external PostgreSQL; on the embedded one it
 * starts the database itself, or refuses while a running Parley holds the data folder. Exit: 0 done, 1 refused or
 * failed, 2 misused.
 */
final class AdminCommand {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private static final String HELP = """
            Usage: java -jar parley.jar admin <command>
              accounts                                   list the accounts
              create-account --name NAME --owner-email EMAIL --owner-name NAME --owner-password-stdin
                                                         create an account (the password is read from standard input)
              suspend ID                                 suspend an account: its agents are signed out, its chat box off
              unsuspend ID                               let a suspended account work again
              delete ID --confirm NAME                   delete an account and all of its data (confirm with its name or id)
            The database is the one Parley uses: PARLEY_DATABASE_URL (and _USER, _PASSWORD), or the embedded one in
            PARLEY_DATA_DIR.""";

    private AdminCommand() {}

    static int run(String[] args, Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
            (args.length == 0 ? err : out).println(HELP);
            return args.length == 0 ? USAGE : OK;
        }
        String command = args[0];
        List<String> positional = new ArrayList<>();
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--owner-password-stdin")) {
                options.put(a, "");
            } else if (a.equals("--owner-password")) {
                // On the command line a password lands in the shell's history and in every process listing.
                err.println("The owner's password is read from standard input: use --owner-password-stdin.");
                return USAGE;
            } else if (a.startsWith("--")) {
                if (i + 1 >= args.length) return usage(err, a + " needs a value.");
                options.put(a, args[++i]);
            } else {
                positional.add(a);
            }
        }
        if (!List.of("accounts", "create-account", "suspend", "unsuspend", "delete").contains(command)) {
            return usage(err, "Unknown command '" + command + "'.");
        }
        Long id = null;
        if (List.of("suspend", "unsuspend", "delete").contains(command)) {
            if (positional.size() != 1) return usage(err, command + " needs one account id.");
            try {
                id = Long.parseLong(positional.getFirst());
            } catch (NumberFormatException e) {
                return usage(err, "'" + positional.getFirst() + "' is not an account id.");
            }
            if (command.equals("delete") && !options.containsKey("--confirm")) {
                return usage(err, "delete needs --confirm with the account's exact name (or its id).");
            }
        }
        String password = null;
        if (command.equals("create-account")) {
            for (String o : List.of("--name", "--owner-email", "--owner-name", "--owner-password-stdin")) {
                if (!options.containsKey(o)) return usage(err, "create-account needs " + o + ".");
            }
            try {
                password = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
            } catch (IOException e) {
                err.println("Cannot read the password from standard input: " + e.getMessage());
                return FAILED;
            }
            if (password == null) return usage(err, "No password came on standard input.");
        }

        Config config;
        try {
            config = Config.load(env);
        } catch (IllegalArgumentException e) {
            err.println("Cannot read the configuration: " + e.getMessage());
            return USAGE;
        }
        Database db;
        try {
            db = config.embeddedDatabase() ? Database.embedded(config.dataDir(), config.postgresBinaries())
                    : Database.connect(config.databaseUrl(), config.databaseUser(), config.databasePassword());
        } catch (DataFolderInUse e) {
            err.println("Cannot open the database: " + e.getMessage() + ". A running Parley owns the embedded database:"
                    + " stop it first, or use its admin API (/instance/accounts, with PARLEY_INSTANCE_SECRET).");
            return FAILED;
        } catch (RuntimeException e) {
            err.println("Cannot open the database: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString()));
            return FAILED;
        }
        try (db) {
            // Another process's open sockets are checked again by its own sweep within a second.
            Instance instance = new Instance(db.jdbi(), AccessChanges.NONE);
            switch (command) {
                case "accounts" -> list(instance.accounts(), out);
                case "create-account" -> {
                    Instance.Created c = instance.createAccount(options.get("--name"), options.get("--owner-email"),
                            options.get("--owner-name"), password);
                    out.println("Created account " + c.accountId() + " \"" + c.name() + "\" with owner " + c.ownerEmail() + ".");
                    out.println("Chat key: " + c.chatKey());
                }
                case "suspend" -> {
                    Instance.Summary s = instance.suspend(id);
                    out.println("Suspended account " + s.id() + " \"" + s.name() + "\": its agents are signed out and its chat box is off.");
                }
                case "unsuspend" -> {
                    Instance.Summary s = instance.unsuspend(id);
                    out.println("Account " + s.id() + " \"" + s.name() + "\" works again.");
                }
                case "delete" -> {
                    Instance.Summary s = instance.account(id);
                    instance.delete(id, options.get("--confirm"));
                    out.println("Deleted account " + s.id() + " \"" + s.name() + "\" and all of its data.");
                }
                default -> throw new IllegalStateException(command);
            }
            return OK;
        } catch (Refusal r) {
            err.println(r.getMessage() + " (" + r.code() + ")");
            return FAILED;
        } catch (RuntimeException e) {
            err.println("Failed: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString()));
            return FAILED;
        }
    }

    private static void list(List<Instance.Summary> accounts, PrintStream out) {
        if (accounts.isEmpty()) {
            out.println("No accounts yet.");
            return;
        }
        out.printf("%-6s %-28s %-24s %-32s %-10s %7s %13s  %s%n", "ID", "NAME", "CHAT KEY", "OWNER", "STATE", "AGENTS",
                "CONVERSATIONS", "CREATED");
        for (Instance.Summary s : accounts) {
            out.printf("%-6d %-28s %-24s %-32s %-10s %7d %13d  %s%n", s.id(), s.name(), s.chatKey(), s.ownerEmail(),
                    s.suspended() ? "suspended" : "active", s.agents(), s.conversations(), s.createdAt().toLocalDate());
        }
    }

    private static int usage(PrintStream err, String problem) {
        err.println(problem);
        err.println(HELP);
        return USAGE;
    }
}
