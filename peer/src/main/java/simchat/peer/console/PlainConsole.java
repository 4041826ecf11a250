package simchat.peer.console;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

import simchat.peer.wire.Limits;

/** Plain streams: pipes, files, scripts and tests. Input that is not valid UTF-8 is replaced, not fatal. */
public final class PlainConsole implements Console {

    private final InputStream in;
    private final PrintStream out;

    public PlainConsole(InputStream in, PrintStream out) {
        this.in = requireNonNull(in, "in");
        this.out = requireNonNull(out, "out");
    }

    @Override
    public synchronized void println(String line) {
        out.println(line);
        out.flush();
    }

    @Override
    public synchronized void printlnAll(List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        StringBuilder text = new StringBuilder(lines.size() * 80);
        for (String line : lines) {
            text.append(line).append(System.lineSeparator());
        }
        out.print(text);
        out.flush();
    }

    @Override
    public void readLines(LineChunker.Sink sink) throws IOException {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        new LineChunker(Limits.MAX_TEXT_CHARS).read(new InputStreamReader(in, decoder), sink);
    }

    @Override
    public boolean interactive() {
        return false;
    }
}
