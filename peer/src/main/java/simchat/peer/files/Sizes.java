package simchat.peer.files;

import java.util.Locale;

/** Byte counts, rates and durations as people read them: {@code 612 MB}, {@code 1.3 GB}, {@code 94 MB/s}. */
public final class Sizes {

    private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB", "PB"};

    private Sizes() {
    }

    /** Decimal units, one decimal below 10 of a unit. */
    public static String bytes(long n) {
        if (n < 1000) {
            return n + " B";
        }
        double value = n;
        int unit = 0;
        while (value >= 999.5 && unit < UNITS.length - 1) {
            value /= 1000;
            unit++;
        }
        return (value < 9.95 ? String.format(Locale.ROOT, "%.1f", value) : String.format(Locale.ROOT, "%.0f", value))
                + " " + UNITS[unit];
    }

    /** {@code bytes} per {@code millis} as a rate. */
    public static String rate(long bytes, long millis) {
        return bytes(millis <= 0 ? bytes * 1000 : bytes * 1000 / millis) + "/s";
    }

    /** Seconds with one decimal below a minute. */
    public static String seconds(long millis) {
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        return millis / 60_000 + " min " + (millis / 1000) % 60 + " s";
    }
}
