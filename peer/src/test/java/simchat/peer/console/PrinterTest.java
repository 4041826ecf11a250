package simchat.peer.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The printer: callers hand lines over and go on; its own thread waits for the output. */
class PrinterTest {

    private final BlockingSink sink = new BlockingSink();
    private final Printer printer = new Printer(sink, 3, n -> "* " + n + " not shown");

    @AfterEach
    void stop() {
        sink.release();
        printer.close();
    }

    @Test
    void printsEveryLineInOrderOnItsOwnThread() {
        sink.release();
        printer.println("one");
        printer.println("two", () -> { });
        printer.println("three");
        printer.close();
        assertThat(sink.lines).containsExactly("one", "two", "three");
        assertThat(sink.threads).containsOnly("peer-printer");
    }

    @Test
    void showsTheLatestStatusLineOfEachSlotAfterTheLinesQueuedBeforeIt() throws InterruptedException {
        printer.println("first");
        assertThat(sink.entered.await(10, TimeUnit.SECONDS)).as("the printer is stuck in the sink").isTrue();
        printer.println("hi", () -> { });
        printer.status("delivery", "1 pending");
        printer.status("typing", "bob is typing");
        printer.status("delivery", "all delivered");
        printer.status("typing", null);

        sink.release();
        printer.close();

        assertThat(sink.lines).containsExactly("first", "hi", "status delivery=all delivered", "status typing=null");
        assertThat(sink.threads).containsOnly("peer-printer");
    }

    @Test
    void neverMakesTheCallerWaitWhileTheOutputIsBlocked() throws InterruptedException {
        printer.println("first");
        assertThat(sink.entered.await(10, TimeUnit.SECONDS)).as("the printer is stuck in the sink").isTrue();

        for (int i = 0; i < 100; i++) {
            printer.println("status " + i);
        }
        printer.println("message", () -> { });

        assertThat(printer.waiting()).isEqualTo(101);
        assertThat(sink.lines).isEmpty();
    }

    @Test
    void runsAMessagesTaskOnlyOnceTheMessageHasBeenPrinted() throws InterruptedException {
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        printer.println("hello", () -> {
            order.add("printed: " + sink.lines);
            done.countDown();
        });
        assertThat(sink.entered.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(order).as("not while the sink still blocks").isEmpty();

        sink.release();

        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(order).containsExactly("printed: [hello]");
    }

    @Test
    void countsStatusLinesBeyondItsBoundAndSaysHowManyOnceOutputMovesAgain() throws InterruptedException {
        printer.println("first");
        assertThat(sink.entered.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < Printer.STATUS_CAPACITY + 5; i++) {
            printer.println("status " + i);
        }
        printer.println("a message is never dropped", () -> { });

        sink.release();
        printer.close();

        assertThat(sink.lines).as("\"first\" holds one place while it blocks").hasSize(Printer.STATUS_CAPACITY + 2)
                .contains("a message is never dropped").endsWith("* 6 not shown");
    }

    @Test
    void refusesMoreMessagesThanTheFlowControlAllows() throws InterruptedException {
        printer.println("first");
        assertThat(sink.entered.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 3; i++) {
            printer.println("message " + i, () -> { });
        }
        assertThatThrownBy(() -> printer.println("one too many", () -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("more than 3 messages");
    }

    @Test
    void closingWaitsUntilEverythingQueuedHasBeenPrinted() throws InterruptedException {
        printer.println("first");
        assertThat(sink.entered.await(10, TimeUnit.SECONDS)).isTrue();
        printer.println("second");
        printer.println("third", () -> { });

        sink.release();
        printer.close();

        assertThat(sink.lines).containsExactly("first", "second", "third");
    }

    @Test
    void writesWhatWaitedInChunksOfLinesNotLineByLine() throws InterruptedException {
        Printer roomy = new Printer(sink, 1_000, n -> "* " + n + " not shown");
        roomy.println("first");
        assertThat(sink.entered.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 600; i++) {
            roomy.println("message " + i, () -> { });
        }

        sink.release();
        roomy.close();

        assertThat(sink.writes).containsExactly(1, Printer.PRINT_CHUNK, Printer.PRINT_CHUNK, 600 - 2 * Printer.PRINT_CHUNK);
        assertThat(sink.lines).hasSize(601).endsWith("message 598", "message 599");
    }

    /** A console whose output blocks until released, like a pipe nobody reads. */
    private static final class BlockingSink implements Console {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();
        final List<Integer> writes = new CopyOnWriteArrayList<>();
        final CountDownLatch entered = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        void release() {
            released.countDown();
        }

        @Override
        public void println(String line) {
            entered.countDown();
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            lines.add(line);
            threads.add(Thread.currentThread().getName());
        }

        @Override
        public void printlnAll(List<String> chunk) {
            chunk.forEach(this::println);
            writes.add(chunk.size());
        }

        @Override
        public void status(String slot, String text) {
            lines.add("status " + slot + "=" + text);
            threads.add(Thread.currentThread().getName());
        }

        @Override
        public void readLines(LineChunker.Sink sink) {
        }

        @Override
        public boolean interactive() {
            return false;
        }
    }
}
