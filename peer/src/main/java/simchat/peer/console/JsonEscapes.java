package simchat.peer.console;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * The escapes of {@code --json} output: JSON's own, and nothing else, so a consumer that parses a line gets the
 * peer's text exactly as it was sent. Besides the control characters JSON must escape, DEL, the C1 controls,
 * the line and paragraph separators and the bidirectional controls are written as {@code \\uXXXX} too: the
 * parsed string is the same, and the raw line, shown on a terminal or in a log, cannot move the cursor, start
 * an escape sequence or reorder what follows.
 */
final class JsonEscapes extends CharacterEscapes {

    static final JsonEscapes INSTANCE = new JsonEscapes();

    private final int[] ascii;

    private JsonEscapes() {
        ascii = standardAsciiEscapesForJSON();
        ascii[0x7f] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
        return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int c) {
        if ((c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029' || c == '\u061c' || c == '\u200e'
                || c == '\u200f' || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')) {
            return new SerializedString(String.format("\\u%04X", c));
        }
        return null;
    }
}
