package simchat.peer.tls;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The peers met before, like ssh's {@code known_hosts}: one line per endpoint, {@code host:port SHA256:…}.
 * Lines starting with {@code #} and lines this build cannot read are kept as they are.
 */
public final class KnownPeers {

    private final ConfigDir dir;

    public KnownPeers(ConfigDir dir) {
        this.dir = requireNonNull(dir, "dir");
    }

    public ConfigDir dir() {
        return dir;
    }

    /** The key remembered for {@code endpoint}, if any. */
    public Optional<Fingerprint> lookup(String endpoint) throws IOException {
        synchronized (KnownPeers.class) {
            return Optional.ofNullable(read().get(endpoint)).flatMap(KnownPeers::fingerprintOf);
        }
    }

    /** Remembers {@code key} for {@code endpoint}, replacing what was remembered before. */
    public void remember(String endpoint, Fingerprint key) throws IOException {
        if (endpoint.isBlank() || endpoint.chars().anyMatch(c -> Character.isWhitespace(c) || c < 0x20)) {
            throw new IllegalArgumentException("endpoint: '" + endpoint + "' (expected: host:port without spaces)");
        }
        // Two peers of one user may remember their peers at the same moment: neither may lose the other's line.
        synchronized (KnownPeers.class) {
            try (FileChannel lock = dir.lock(dir.knownPeersFile())) {
                Map<String, String> lines = read();
                lines.put(endpoint, endpoint + " " + key);
                StringBuilder out = new StringBuilder();
                lines.values().forEach(line -> out.append(line).append('\n'));
                dir.writePrivately(dir.knownPeersFile(), out.toString());
            }
        }
    }

    /** Every line keyed by its endpoint (comments and blank lines by a key of their own). */
    private Map<String, String> read() throws IOException {
        Map<String, String> lines = new LinkedHashMap<>();
        if (!Files.exists(dir.knownPeersFile())) {
            return lines;
        }
        int n = 0;
        for (String line : dir.readPrivate(dir.knownPeersFile()).split("\n")) {
            String trimmed = line.strip();
            String key = trimmed.isEmpty() || trimmed.startsWith("#") ? "\n" + n++ : trimmed.split("\\s+")[0];
            lines.put(key, line);
        }
        return lines;
    }

    private static Optional<Fingerprint> fingerprintOf(String line) {
        String[] fields = line.strip().split("\\s+");
        try {
            return fields.length >= 2 ? Optional.of(Fingerprint.parse(fields[1])) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
