package simchat.rendezvous;

import static java.util.Objects.requireNonNull;

import java.io.PrintWriter;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/** The rendezvous' only output: events when verbose, warnings always, one line each. */
final class Log {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private final PrintWriter out;
    private final boolean verbose;

    Log(PrintWriter out, boolean verbose) {
        this.out = requireNonNull(out, "out");
        this.verbose = verbose;
    }

    /** A log that prints nothing, for tests and benchmarks. */
    static Log silent() {
        return new Log(new PrintWriter(PrintWriter.nullWriter()), false);
    }

    boolean verbose() {
        return verbose;
    }

    /** Something that happens in normal operation; printed only with {@code -v}. */
    void event(String line) {
        if (verbose) {
            print(line);
        }
    }

    /** Something an operator should know about. */
    void warn(String line) {
        print("warning: " + line);
    }

    private void print(String line) {
        synchronized (out) {
            out.println(LocalTime.now().format(TIME) + " " + line);
            out.flush();
        }
    }
}
