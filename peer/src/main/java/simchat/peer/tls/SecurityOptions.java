package simchat.peer.tls;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Supplier;

import simchat.peer.console.ChatEvent;

/**
 * What the user chose about encryption: {@code --plaintext}, {@code --trust FINGERPRINT} and
 * {@code --config-dir DIR} (null for the standard location).
 */
public record SecurityOptions(boolean plaintext, Fingerprint trust, Path configDir) {

    /** The default: encrypted, trust on first use, keys in the standard location. */
    public static final SecurityOptions DEFAULT = new SecurityOptions(false, null, null);

    public SecurityOptions {
        if (plaintext && trust != null) {
            throw new IllegalArgumentException("--trust and --plaintext exclude each other");
        }
    }

    /** Where identity, known peers and chat journals live: {@code --config-dir}, else the standard place. */
    public ConfigDir dir() {
        if (configDir != null) {
            return new ConfigDir(configDir);
        }
        // Java 17 says "?" for a user without a passwd entry (a container's numeric user); $HOME still helps.
        String home = System.getenv("HOME");
        if (home == null || !home.startsWith("/")) {
            home = System.getProperty("user.home");
        }
        return ConfigDir.standard(System.getenv(), home);
    }

    private static String reason(FileSystemException e) {
        if (e.getReason() != null) {
            return e.getReason();
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "exists and is not a directory";
        }
        if (e instanceof NoSuchFileException) {
            return "cannot be created";
        }
        return e.getClass().getSimpleName();
    }

    /**
     * Prepares encryption for a chat with {@code endpoint} (the known-peers key; null when nothing
     * identifies the peer before it connects): loads or creates our identity and reports it, or warns that
     * the chat is plaintext and returns null. TLS is not warmed up here: the caller starts
     * {@link TlsSetup#warmUpInBackground} once it is dialing.
     */
    public TlsSetup setUp(String endpoint, Consumer<ChatEvent> events) throws IOException {
        if (plaintext) {
            events.accept(new ChatEvent.Status("WARNING: --plaintext: this chat is NOT encrypted and the peer is NOT"
                    + " authenticated; anyone on the path can read and change it"));
            return null;
        }
        ConfigDir dir = dir();
        LocalIdentity identity = identity(dir, events);
        TrustPolicy policy;
        if (trust != null) {
            policy = new TrustPolicy.Pinned(trust);
        } else if (identity == null) {
            // Nowhere to remember keys: every chat is a first contact, shown for comparing aloud.
            policy = new TrustPolicy.Unverified();
            identity = inMemoryIdentity(events);
        } else if (endpoint != null) {
            KnownPeers known = new KnownPeers(dir);
            // Read once now, so that an unreadable known_peers stops the peer before it dials, not mid-handshake.
            known.lookup(endpoint);
            policy = new TrustPolicy.OnFirstUse(known, endpoint);
        } else {
            policy = new TrustPolicy.Unverified();
        }
        return new TlsSetup(identity != null ? identity : inMemoryIdentity(events), policy, events);
    }

    /**
     * Prepares encryption for rendezvous mode, where the room code authenticates the other peer:
     * {@code roomCode} is asked when a connection starts (the creator of a room learns the code from the
     * rendezvous). Like {@link #setUp}, reports our identity, or warns and returns null with --plaintext.
     */
    public TlsSetup setUpForRoom(Supplier<String> roomCode, Consumer<ChatEvent> events) throws IOException {
        if (trust != null) {
            throw new IllegalArgumentException("--trust and --rendezvous exclude each other: the room code"
                    + " authenticates the other peer");
        }
        if (plaintext) {
            return setUp(null, events);
        }
        LocalIdentity identity = identity(dir(), events);
        return warmedUp(new TlsSetup(identity != null ? identity : inMemoryIdentity(events),
                new TrustPolicy.RoomCode(roomCode), events));
    }

    /**
     * Our identity from {@code dir}; null when the standard directory cannot hold it (a user without a usable home
     * directory: the README promises a chat all the same). An unusable {@code --config-dir} is an error.
     */
    private LocalIdentity identity(ConfigDir dir, Consumer<ChatEvent> events) throws IOException {
        try {
            return loadIdentity(dir, events);
        } catch (IOException e) {
            if (configDir != null || !(e.getCause() instanceof FileSystemException)) {
                throw e;
            }
            events.accept(new ChatEvent.Status(e.getMessage().replace(" (choose another place with --config-dir)", "")
                    + "; this run uses a new identity kept in memory only and remembers no peer's key"
                    + " (use --config-dir to keep them)"));
            return null;
        }
    }

    private static LocalIdentity inMemoryIdentity(Consumer<ChatEvent> events) {
        LocalIdentity identity = LocalIdentity.generate();
        events.accept(new ChatEvent.Status("your fingerprint: " + identity.fingerprint()
                + " (a new identity for this run only)"));
        return identity;
    }

    /**
     * Warms TLS up before the peer dials, so the first handshake does not pay for a cold JVM: in rendezvous
     * mode the dial is timed, and a warm-up beside it would make our SYNs late.
     */
    private static TlsSetup warmedUp(TlsSetup setup) {
        setup.warmUpQuietly();
        return setup;
    }

    private static LocalIdentity loadIdentity(ConfigDir dir, Consumer<ChatEvent> events) throws IOException {
        boolean created = !Files.exists(dir.identityFile());
        LocalIdentity identity;
        try {
            identity = LocalIdentity.loadOrCreate(dir);
        } catch (FileSystemException e) {
            throw new IOException("cannot keep this peer's identity in " + dir + ": " + e.getFile() + ": "
                    + reason(e) + " (choose another place with --config-dir)", e);
        }
        events.accept(new ChatEvent.OwnKey(identity.fingerprint().toString(), dir.identityFile().toString(), created));
        return identity;
    }
}
