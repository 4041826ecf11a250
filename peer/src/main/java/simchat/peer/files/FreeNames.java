package simchat.peer.files;

/**
 * Names for a file that must not overwrite another: {@code report.pdf}, then {@code report (1).pdf},
 * {@code report (2).pdf}, ... (the extension is kept; a folder or a name starting with a dot has none).
 */
public final class FreeNames {

    private FreeNames() {
    }

    /** The {@code n}th candidate for {@code name}: the name itself for 0. */
    public static String candidate(String name, int n, boolean folder) {
        if (n == 0) {
            return name;
        }
        int dot = folder ? -1 : name.lastIndexOf('.');
        if (dot <= 0) {
            return name + " (" + n + ")";
        }
        return name.substring(0, dot) + " (" + n + ")" + name.substring(dot);
    }
}
