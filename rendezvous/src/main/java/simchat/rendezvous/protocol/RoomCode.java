package simchat.rendezvous.protocol;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Room codes as people read them to each other: a number and two words, e.g. {@code 7-amber-falcon}.
 */
public final class RoomCode {

    private static final Pattern SEPARATORS = Pattern.compile("[\\s_.-]+");

    private RoomCode() {
    }

    /**
     * The canonical form of a code as a person may type it: {@code " 7 Amber_falcon "} becomes
     * {@code "7-amber-falcon"}.
     */
    public static String normalize(String typed) {
        return SEPARATORS.matcher(typed.strip().toLowerCase(Locale.ROOT)).replaceAll("-")
                .replaceAll("^-|-$", "");
    }
}
