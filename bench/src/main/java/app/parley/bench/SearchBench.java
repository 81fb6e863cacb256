package app.parley.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The search bench (issue #14), run by {@code bench/search}: fills a fresh Parley's database with a shop's worth of
 * conversations (search-generate.sql: COPY-free, generate_series in SQL), has Parley index them through its own
 * rebuild (the jobs an admin starts), then times searches through the real API, each case alone after a warm-up,
 * and prints p50/p95 per case with the database's size.
 */
public final class SearchBench {
    private final Map<String, String> opt;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private String base;
    private String cookie;
    private String csrf;

    private SearchBench(Map<String, String> opt) {
        this.opt = opt;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new HashMap<>(Map.of("conversations", "1000000", "runs", "40"));
        for (int i = 0; i + 1 < args.length; i += 2) opt.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        new SearchBench(opt).run();
    }

    private void run() throws Exception {
        Path dataDir = Path.of(opt.get("data-dir"));
        int pgPort = Integer.parseInt(Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid")).get(3).strip());
        String pgPassword = Files.readString(dataDir.resolve("postgres-password")).strip();
        base = "http://127.0.0.1:" + opt.get("port");
        int n = Integer.parseInt(opt.get("conversations"));
        try (Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres?ApplicationName=parley-search-bench",
                "postgres", pgPassword)) {
            long account = one(db, "SELECT min(id) FROM accounts");
            login();
            generate(db, account, n);
            index(db);
            measure(db, account);
        }
    }

    private void generate(Connection db, long account, int n) throws Exception {
        if (one(db, "SELECT count(*) FROM conversations") > 0) {
            log("data already there: " + one(db, "SELECT count(*) FROM conversations") + " conversations");
            return;
        }
        String sql;
        try (InputStream in = SearchBench.class.getResourceAsStream("/search-generate.sql")) {
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        sql = sql.replace("{{N}}", Integer.toString(n)).replace("{{ACCOUNT}}", Long.toString(account));
        long all = System.nanoTime();
        boolean pageViews = one(db, "SELECT count(*) FROM pg_tables WHERE tablename = 'page_views'") > 0;
        log("page views go to bench_page_views (bench's own staging table)" + (pageViews
                ? "; a page_views table exists, but its columns are another feature's: not written by this bench" : ": no page_views table in this build"));
        try (Statement s = db.createStatement()) {
            for (String statement : sql.split(";\\s*\\n")) {
                String st = statement.strip();
                if (st.isEmpty() || st.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("--"))) continue;
                long t = System.nanoTime();
                s.execute(st);
                String first = st.lines().filter(l -> !l.strip().startsWith("--")).findFirst().orElse("").strip();
                log(String.format("%6.1f s  %s", (System.nanoTime() - t) / 1e9, first.length() > 90 ? first.substring(0, 90) : first));
            }
        }
        log(String.format("generated in %.0f s: %,d conversations, %,d messages, %,d page views, %,d contacts", (System.nanoTime() - all) / 1e9,
                one(db, "SELECT count(*) FROM conversations"), one(db, "SELECT count(*) FROM messages"),
                one(db, "SELECT count(*) FROM bench_page_views"), one(db, "SELECT count(*) FROM contacts")));
    }

    private void index(Connection db) throws Exception {
        long convs = one(db, "SELECT count(*) FROM conversations");
        if (one(db, "SELECT count(*) FROM search_conversations") >= convs) {
            log("search index complete");
            pages(db);
            return;
        }
        long t = System.nanoTime();
        String started = call("POST", "/v2/search/index/rebuild", "{}", 202);
        log("rebuild started: " + started);
        long last = -1;
        while (true) {
            Thread.sleep(5000);
            String status = call("GET", "/v2/search/index", null, 200);
            long indexed = Long.parseLong(status.replaceAll(".*\"indexed\":(\\d+).*", "$1"));
            boolean rebuilding = status.contains("\"rebuilding\":true");
            if (indexed / 100_000 != last / 100_000) log(String.format("indexed %,d of %,d (%.0f s)", indexed, convs, (System.nanoTime() - t) / 1e9));
            last = indexed;
            if (!rebuilding && indexed >= convs) break;
        }
        log(String.format("rebuild through the API took %.0f s (%,.0f conversations/s)", (System.nanoTime() - t) / 1e9,
                convs / ((System.nanoTime() - t) / 1e9)));
        pages(db);
    }

    /**
     * Parley learns the pages of a conversation while it is open (the visitor's page events); generated conversations
     * were never open in a live Parley, so their documents get the generated page views here, as the live consumer
     * would have gathered them. A bench shortcut: Parley itself never writes search documents outside its indexer.
     */
    private static void pages(Connection db) throws Exception {
        try (Statement s = db.createStatement()) {
            long t = System.nanoTime();
            int n = s.executeUpdate("""
                    UPDATE search_conversations s SET start_url = p.first, pages = p.urls,
                           pages_text = lower(p.first || ' ' || array_to_string(p.urls, ' '))
                    FROM (SELECT c.id, (array_agg(pv.url ORDER BY pv.viewed_at))[1] AS first, array_agg(DISTINCT pv.url) AS urls
                          FROM conversations c JOIN bench_page_views pv ON pv.visitor_id = c.visitor_id GROUP BY c.id) p
                    WHERE s.conversation_id = p.id AND s.start_url IS NULL""");
            if (n > 0) log(String.format("gave %,d documents their generated page views (%.0f s)", n, (System.nanoTime() - t) / 1e9));
            s.execute("VACUUM ANALYZE search_conversations");
        }
    }

    private record Case(String group, String name, IntFunction<String> body) {}

    private void measure(Connection db, long account) throws Exception {
        List<Long> agents = longs(db, "SELECT id FROM agents WHERE account_id = " + account + " AND role = 'agent' ORDER BY id");
        List<Long> groups = longs(db, "SELECT id FROM groups WHERE account_id = " + account + " ORDER BY id");
        List<Long> tags = longs(db, "SELECT id FROM tags WHERE account_id = " + account + " ORDER BY id");
        List<Long> contacts = longs(db, "SELECT contact_id FROM conversations WHERE contact_id IS NOT NULL ORDER BY id DESC LIMIT 50");
        IntFunction<Long> agent = i -> agents.get(i % agents.size());
        IntFunction<Long> group = i -> groups.get(i % groups.size());
        IntFunction<Long> tag = i -> tags.get(i % tags.size());
        String[] ratings = {"good", "normal", "bad", "none"};
        String[] pages = {"checkout", "product/boots", "help/shipping", "account/orders"};
        List<Case> cases = new ArrayList<>();
        IntFunction<String> none = i -> "{}";
        cases.add(new Case("filter", "no filter (newest first)", none));
        cases.add(new Case("filter", "rating", i -> f("\"rating\":[\"" + ratings[i % 4] + "\"]")));
        cases.add(new Case("filter", "agent", i -> f("\"agent_id\":" + agent.apply(i))));
        cases.add(new Case("filter", "group", i -> f("\"group_id\":" + group.apply(i))));
        cases.add(new Case("filter", "tag (any of 2)", i -> f("\"tags\":[" + tag.apply(i) + "," + tag.apply(i + 7) + "]")));
        cases.add(new Case("filter", "tags (all of 2)", i -> f("\"tags\":[" + tag.apply(i) + "," + tag.apply(i + 7) + "],\"tags_match\":\"all\"")));
        cases.add(new Case("filter", "page URL contains", i -> f("\"page_url\":\"" + pages[i % 4] + "\"")));
        cases.add(new Case("filter", "start page contains", i -> f("\"start_url\":\"" + pages[i % 4] + "\"")));
        cases.add(new Case("filter", "IP exact", i -> f("\"loc_ip\":\"10." + (i % 200) + "." + (i % 250) + "." + (i % 250) + "\"")));
        cases.add(new Case("filter", "IP prefix (10.x)", i -> f("\"loc_ip\":\"10." + (i % 200) + "\"")));
        cases.add(new Case("filter", "IP CIDR /16", i -> f("\"loc_ip\":\"10." + (i % 200) + ".0.0/16\"")));
        cases.add(new Case("filter", "date range (1 month)", i -> f(month(i))));
        cases.add(new Case("filter", "channel", i -> f("\"channel\":\"" + (i % 2 == 0 ? "email" : "facebook") + "\"")));
        cases.add(new Case("filter", "contact", i -> f("\"contact_id\":" + contacts.get(i % contacts.size()))));
        cases.add(new Case("filter", "status open", i -> f("\"status\":\"open\"")));
        cases.add(new Case("combo", "tag + rating + URL", i -> f("\"tags\":[" + tag.apply(i) + "],\"rating\":[\"" + ratings[i % 3] + "\"],\"page_url\":\"" + pages[i % 4] + "\"")));
        cases.add(new Case("combo", "agent + date range", i -> f("\"agent_id\":" + agent.apply(i) + "," + month(i))));
        cases.add(new Case("combo", "group + rating + resolved", i -> f("\"group_id\":" + group.apply(i) + ",\"rating\":[\"bad\"],\"status\":\"closed\"")));
        cases.add(new Case("combo", "channel + date + tags all", i -> f("\"channel\":\"email\"," + month(i) + ",\"tags\":[" + tag.apply(i) + "," + tag.apply(i + 3) + "],\"tags_match\":\"all\"")));
        cases.add(new Case("combo", "open + agent + must_not tag", i -> "{\"filters\":{\"status\":\"open\",\"agent_id\":" + agent.apply(i)
                + "},\"query\":[{\"field\":\"tag\",\"value\":" + tag.apply(i) + ",\"op\":\"must_not\"}]}"));
        cases.add(new Case("text", "common word", i -> f("\"query\":\"" + new String[] {"order", "delivery", "Lieferung", "commande"}[i % 4] + "\"")));
        cases.add(new Case("text", "rare word", i -> f("\"query\":\"quokka\"")));
        cases.add(new Case("text", "phrase", i -> f("\"query\":\"\\\"order number\\\"\"")));
        cases.add(new Case("text", "prefix", i -> f("\"query\":\"" + new String[] {"deliv*", "refun*", "invoi*", "Rückerst*"}[i % 4] + "\"")));
        cases.add(new Case("text", "two words", i -> f("\"query\":\"parcel damaged\"")));
        cases.add(new Case("text", "contact name", i -> f("\"query\":\"" + new String[] {"Novák", "Dubois", "García", "Müller"}[i % 4] + "\"")));
        cases.add(new Case("text", "common word + rating bad", i -> f("\"query\":\"refund\",\"rating\":[\"bad\"]")));
        cases.add(new Case("text", "page 2 (after cursor)", null));

        int runs = Integer.parseInt(opt.get("runs"));
        System.out.println();
        System.out.printf("%-8s %-32s %9s %9s %9s %12s%n", "kind", "case", "p50 ms", "p95 ms", "max ms", "total");
        Map<String, double[]> worst = new LinkedHashMap<>();
        for (Case c : cases) {
            double[] ms = new double[runs];
            String total = "";
            for (int i = -3; i < runs; i++) {
                String body;
                if (c.body() == null) {
                    String first = call("POST", "/v2/conversations/search", f("\"query\":\"order\""), 200);
                    body = "{\"filters\":{\"query\":\"order\"},\"after\":\"" + first.replaceAll("(?s).*\"after\":\"([^\"]+)\".*", "$1") + "\"}";
                } else {
                    body = c.body().apply(Math.max(i, 0));
                }
                long t = System.nanoTime();
                String answer = call("POST", "/v2/conversations/search", body, 200);
                if (i >= 0) ms[i] = (System.nanoTime() - t) / 1e6;
                total = answer.replaceAll("(?s)^\\{\"total\":(\\d+),\"total_is_lower_bound\":(true|false).*", "$1$2").replace("true", "+").replace("false", "");
            }
            print(c.group(), c.name(), ms, total);
            worst.merge(c.group(), new double[] {pct(ms, 95)}, (a, b) -> new double[] {Math.max(a[0], b[0])});
        }
        double[] list = new double[runs], counts = new double[runs], both = new double[runs];
        for (int i = -3; i < runs; i++) {
            long t = System.nanoTime();
            call("GET", "/v2/conversations?tab=all&limit=50", null, 200);
            long t2 = System.nanoTime();
            call("GET", "/v2/conversations/tabs", null, 200);
            long t3 = System.nanoTime();
            if (i >= 0) {
                list[i] = (t2 - t) / 1e6;
                counts[i] = (t3 - t2) / 1e6;
                both[i] = (t3 - t) / 1e6;
            }
        }
        long open = one(db, "SELECT count(*) FROM conversations WHERE status = 'open'");
        print("open", "first page (50) of " + open + " open", list, "");
        print("open", "tab counts", counts, "");
        print("open", "first page + counts", both, "");
        System.out.println();
        System.out.printf("worst p95 per kind: %s (goals: filter/combo <= 50 ms, text <= 100 ms, open <= 10 ms)%n",
                worst.entrySet().stream().map(e -> e.getKey() + " " + String.format("%.1f", e.getValue()[0]) + " ms").toList());
        System.out.printf("database %s; search_conversations %s (of which indexes %s); messages %s; conversations %s; bench_page_views %s%n",
                size(db, "pg_database_size(current_database())"), size(db, "pg_total_relation_size('search_conversations')"),
                size(db, "pg_indexes_size('search_conversations')"), size(db, "pg_total_relation_size('messages')"),
                size(db, "pg_total_relation_size('conversations')"), size(db, "pg_total_relation_size('bench_page_views')"));
        System.out.printf("rows: %,d conversations, %,d messages, %,d page views, %,d agents%n", one(db, "SELECT count(*) FROM conversations"),
                one(db, "SELECT count(*) FROM messages"), one(db, "SELECT count(*) FROM bench_page_views"),
                one(db, "SELECT count(*) FROM agents"));
    }

    private static String f(String filters) {
        return "{\"filters\":{" + filters + "}}";
    }

    private static String month(int i) {
        int m = 1 + i % 12;
        return "\"date_from\":\"2026-" + (m < 10 ? "0" : "") + m + "-01\",\"date_to\":\"2026-" + (m < 10 ? "0" : "") + m + "-28\"";
    }

    private static void print(String group, String name, double[] ms, String total) {
        System.out.printf("%-8s %-32s %9.1f %9.1f %9.1f %12s%n", group, name, pct(ms, 50), pct(ms, 95),
                Arrays.stream(ms).max().orElse(0), total);
    }

    private static double pct(double[] ms, int p) {
        double[] s = ms.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1)];
    }

    private void login() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + opt.get("email") + "\",\"password\":\"" + opt.get("password") + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IOException("login: " + r.statusCode() + " " + r.body());
        cookie = r.headers().allValues("set-cookie").stream().filter(c -> c.startsWith("parley_session=")).findFirst()
                .map(c -> c.substring(0, c.indexOf(';'))).orElseThrow();
        csrf = r.body().replaceAll("(?s).*\"csrf_token\":\"([^\"]+)\".*", "$1");
    }

    private String call(String method, String path, String body, int expect) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Cookie", cookie).header("X-CSRF-Token", csrf)
                .timeout(Duration.ofSeconds(60));
        if (body != null) b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        else b.method(method, HttpRequest.BodyPublishers.noBody());
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expect) throw new IOException(method + " " + path + " " + body + ": " + r.statusCode() + " " + r.body());
        return r.body();
    }

    private static long one(Connection db, String sql) throws Exception {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String size(Connection db, String expr) throws Exception {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_size_pretty(" + expr + ")")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static List<Long> longs(Connection db, String sql) throws Exception {
        List<Long> out = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) out.add(rs.getLong(1));
        }
        return out;
    }

    private static void log(String s) {
        System.out.println("[search-bench] " + s);
    }
}
