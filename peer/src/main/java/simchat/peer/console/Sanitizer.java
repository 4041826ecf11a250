package simchat.peer.console;

/**
 * Makes text from the remote peer safe to print: control characters (which start ANSI escape
 * sequences, move the cursor or clear lines), line separators and bidirectional overrides are shown
 * as visible {@code \xNN} / {@code \\uNNNN} escapes, so a peer cannot forge lines in our terminal.
 */
public final class Sanitizer {

    private Sanitizer() {
    }

    public static String clean(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String escape = escape(c);
            if (escape != null && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (escape != null) {
                    out.append(escape);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }

    private static String escape(char c) {
        if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
            return String.format("\\x%02X", (int) c);
        }
        if (isBidiControl(c) || c == '\u2028' || c == '\u2029') {
            return String.format("\\u%04X", (int) c);
        }
        return null;
    }

    private static boolean isBidiControl(char c) {
        return c == '\u061c' || c == '\u200e' || c == '\u200f'
                || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
    }
}
