package simchat.peer.files;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a path a peer sent, component by component, before anything touches the disk: relative, separated by
 * {@code /}, no {@code .} or {@code ..}, no empty component, no backslash, no control or bidirectional-override
 * characters, no device names (those Windows reserves), at most {@value #MAX_COMPONENT_BYTES} bytes a component.
 */
public final class PathSafety {

    public static final int MAX_COMPONENT_BYTES = 255;
    private static final Set<String> DEVICES = Set.of("CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$");
    private static final Pattern NUMBERED_DEVICE = Pattern.compile("(COM|LPT)[0-9¹²³]");
    private static final Pattern DRIVE = Pattern.compile("[A-Za-z]:.*");

    private PathSafety() {
    }

    /** The components of {@code path}, or an {@link UnsafePathException} saying what is wrong with it. */
    public static List<String> components(String path) throws UnsafePathException {
        if (path.isEmpty()) {
            throw new UnsafePathException("an empty path");
        }
        if (path.startsWith("/")) {
            throw new UnsafePathException("an absolute path");
        }
        List<String> parts = List.of(path.split("/", -1));
        if (DRIVE.matcher(parts.get(0)).matches()) {
            throw new UnsafePathException("a drive letter");
        }
        for (String part : parts) {
            String problem = problem(part);
            if (problem != null) {
                throw new UnsafePathException(problem);
            }
        }
        return parts;
    }

    /** What is wrong with one component as a file name, or null if nothing. */
    public static String problem(String name) {
        if (name.isEmpty()) {
            return "an empty component";
        }
        if (name.equals(".") || name.equals("..")) {
            return "a '" + name + "' component";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                return "a control character";
            }
            if ((c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069') || c == '\u2028'
                    || c == '\u2029' || c == '\u200e' || c == '\u200f') {
                return "a bidirectional or line-separator character";
            }
            if (c == '\\') {
                return "a backslash";
            }
            if (c == '/') {
                return "a '/' inside a name";
            }
        }
        String base = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
        String upper = base.strip().toUpperCase(Locale.ROOT);
        if (DEVICES.contains(upper) || NUMBERED_DEVICE.matcher(upper).matches()) {
            return "a device name (" + base + ")";
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_COMPONENT_BYTES) {
            return "a name longer than " + MAX_COMPONENT_BYTES + " bytes";
        }
        return null;
    }

    /** A peer sent a path that must not be used. */
    public static final class UnsafePathException extends Exception {
        UnsafePathException(String problem) {
            super(problem, null, false, false);
        }
    }
}
