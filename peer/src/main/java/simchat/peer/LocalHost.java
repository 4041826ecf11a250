package simchat.peer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import simchat.peer.wire.Limits;

/** This machine's host name, from the kernel (not DNS, so it never blocks), at most a name's length. */
public final class LocalHost {

    private LocalHost() {
    }

    /** The host name, e.g. {@code vm}; {@code localhost} when none can be found. */
    public static String name() {
        String name = lookUp();
        return name.length() <= Limits.MAX_NAME_CHARS ? name : name.substring(0, Limits.MAX_NAME_CHARS);
    }

    private static String lookUp() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux: fall through.
        }
        for (String variable : new String[] {"HOSTNAME", "COMPUTERNAME"}) {
            String value = System.getenv(variable);
            if (value != null && !value.isBlank()) {
                return value.strip();
            }
        }
        return "localhost";
    }
}
