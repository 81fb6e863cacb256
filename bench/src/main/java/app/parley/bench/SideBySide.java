package app.parley.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * bench/run --nodes 1,3: the tables of the runs (written by --table-out) side by side, a row per figure, with the
 * last run's value over the first's when both are single numbers. Each run's own table, with its references
 * measured in that run, is printed above it.
 */
public final class SideBySide {
    private static final Pattern NUMBER = Pattern.compile("^([0-9][0-9,]*(?:\\.[0-9]+)?)( ms| µs| KiB)?$");

    private SideBySide() {}

    public static void main(String[] args) throws Exception {
        List<String> heads = new ArrayList<>();
        List<Map<String, String>> runs = new ArrayList<>();
        Map<String, Boolean> figures = new LinkedHashMap<>();
        Map<String, String> labels = new HashMap<>();
        for (String file : args) {
            Path p = Path.of(file);
            if (!Files.exists(p)) {
                heads.add("(no table)");
                runs.add(Map.of());
                continue;
            }
            Map<String, String> values = new LinkedHashMap<>();
            String head = "?";
            for (String line : Files.readAllLines(p)) {
                String[] f = line.split("\t", -1);
                if (f.length < 2) continue;
                if (f[0].equals("nodes")) {
                    head = f[1] + (f[1].equals("1") ? " node" : " nodes");
                    continue;
                }
                // The same label comes back under each loop ("  CPU cores: …"), and some hold a count ("with 2,990 idle
                // held"): a row is matched by its label with numbers blanked and its occurrence.
                String shape = f[0].replaceAll("[0-9][0-9,.]*", "#");
                int nth = 0;
                while (values.containsKey(shape + "\u0000" + nth)) nth++;
                String key = shape + "\u0000" + nth;
                values.put(key, f[1]);
                labels.putIfAbsent(key, f[0]);
                figures.put(key, true);
            }
            heads.add(head);
            runs.add(values);
        }
        int w0 = 6;
        for (String f : figures.keySet()) w0 = Math.max(w0, labels.get(f).length());
        int w = 12;
        for (Map<String, String> r : runs) for (String v : r.values()) w = Math.max(w, v.length());
        StringBuilder out = new StringBuilder("\nside by side (each run's references are in its own table above)\n");
        StringBuilder format = new StringBuilder("%-" + w0 + "s");
        for (int i = 0; i < runs.size(); i++) format.append("  %").append(w).append('s');
        format.append("  %s%n");
        List<Object> header = new ArrayList<>(List.of("figure"));
        header.addAll(heads);
        header.add(runs.size() > 1 ? heads.getLast() + " ÷ " + heads.getFirst() : "");
        out.append(String.format(format.toString(), header.toArray()));
        out.append("-".repeat(w0 + (w + 2) * runs.size() + 14)).append('\n');
        for (String figure : figures.keySet()) {
            List<Object> row = new ArrayList<>(List.of(labels.get(figure)));
            for (Map<String, String> r : runs) row.add(r.getOrDefault(figure, "—"));
            row.add(runs.size() > 1 ? ratio(runs.getFirst().get(figure), runs.getLast().get(figure)) : "");
            out.append(String.format(format.toString(), row.toArray()));
        }
        System.out.print(out);
    }

    /** last ÷ first, part by part for values like "4.87 ms / 40.14 ms"; empty when they are not numbers. */
    private static String ratio(String first, String last) {
        if (first == null || last == null) return "";
        String[] a = first.split(" / ");
        String[] b = last.split(" / ");
        if (a.length != b.length) return "";
        List<String> out = new ArrayList<>();
        for (int i = 0; i < a.length; i++) {
            double x = number(a[i]);
            double y = number(b[i]);
            if (!(x > 0) || Double.isNaN(y)) return "";
            out.add(String.format(Locale.ROOT, "%.2f", y / x));
        }
        return String.join(" / ", out);
    }

    private static double number(String value) {
        if (value == null) return Double.NaN;
        Matcher m = NUMBER.matcher(value.trim());
        return m.matches() ? Double.parseDouble(m.group(1).replace(",", "")) : Double.NaN;
    }
}
