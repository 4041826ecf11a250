package simchat.peer.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class LineChunkerTest {

    private final List<String> lines = new ArrayList<>();
    private final List<Boolean> split = new ArrayList<>();
    private final List<Boolean> more = new ArrayList<>();
    private final LineChunker chunker = new LineChunker(4);

    @Test
    void readsLinesWithoutTheirEndings() throws IOException {
        read("one\r\ntwo\nlast");
        assertThat(lines).containsExactly("one", "two", "last");
        assertThat(split).containsOnly(false);
    }

    @Test
    void splitsALongLineIntoChunks() throws IOException {
        read("abcdefghij\nok\n");
        assertThat(lines).containsExactly("abcd", "efgh", "ij", "ok");
        assertThat(split).containsExactly(true, true, true, false);
        assertThat(more).as("whether the next chunk continues this one").containsExactly(true, true, false, false);
    }

    @Test
    void aLineOfExactlyTheLimitIsOneChunk() throws IOException {
        read("abcd\nefghi\r\n");
        assertThat(lines).containsExactly("abcd", "efgh", "i");
        assertThat(more).containsExactly(false, true, false);
    }

    @Test
    void neverSplitsASurrogatePair() throws IOException {
        read("abc😀def\n");
        assertThat(lines).containsExactly("abc", "😀de", "f");
    }

    @Test
    void keepsMemoryBoundedOnEndlessInputWithoutNewline() throws IOException {
        long[] total = {0};
        Reader endless = new Reader() {
            private long left = 10_000_000;

            @Override
            public int read(char[] buf, int off, int len) {
                if (left == 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(buf, off, off + n, 'x');
                left -= n;
                return n;
            }

            @Override
            public void close() {
            }
        };
        new LineChunker(4096).read(endless, (text, part, continued) -> {
            assertThat(text.length()).isLessThanOrEqualTo(4096);
            total[0] += text.length();
        });
        assertThat(total[0]).isEqualTo(10_000_000);
    }

    @Test
    void splitsAnAlreadyReadLineTheSameWay() {
        chunker.split("abcdefghij", this::add);
        assertThat(lines).containsExactly("abcd", "efgh", "ij");
        assertThat(more).containsExactly(true, true, false);
    }

    private void read(String input) throws IOException {
        chunker.read(new StringReader(input), this::add);
    }

    private void add(String text, boolean partOfLongerLine, boolean continued) {
        lines.add(text);
        split.add(partOfLongerLine);
        more.add(continued);
    }
}
