package simchat.peer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Constructor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;
import simchat.peer.ExitCode;
import simchat.peer.Outcome;

/** How a run ends becomes an exit code in one place, and the help and the README say the same. */
class ExitCodesTest {

    @Test
    void everyKindOfOutcomeHasADocumentedCodeOfItsOwn() throws Exception {
        List<Class<?>> kinds = records(Outcome.class);
        assertThat(kinds).as("Outcome's records").hasSize(11);

        List<Integer> codes = new ArrayList<>();
        for (Class<?> kind : kinds) {
            ExitCodes.Code code = ExitCodes.of(instance(kind));
            assertThat(ExitCodes.documented()).as(kind.getSimpleName()).contains(code);
            codes.add(code.code());
        }
        assertThat(codes).as("one code per kind of outcome").doesNotHaveDuplicates();
    }

    @Test
    void theCodesAreTheOnesScriptsKnowByName() {
        assertThat(ExitCodes.code(new Outcome.Ended())).isEqualTo(ExitCode.OK);
        assertThat(ExitCodes.code(new Outcome.GaveUp("x"))).isEqualTo(ExitCode.GAVE_UP);
        assertThat(ExitCodes.code(new Outcome.PortUnavailable("x"))).isEqualTo(ExitCode.PORT_UNAVAILABLE);
        assertThat(ExitCodes.code(new Outcome.ConnectionLost("x"))).isEqualTo(ExitCode.CONNECTION_LOST);
        assertThat(ExitCodes.code(new Outcome.AuthenticationFailed("x"))).isEqualTo(ExitCode.AUTHENTICATION_FAILED);
    }

    @Test
    void aJournalThatCannotBeWrittenEndsWithTheCodeOfUnusableFilesNotAsABug() {
        assertThat(ExitCodes.code(new Outcome.FilesUnusable("cannot write chat.jsonl: No space left on device")))
                .isEqualTo(10);
        assertThat(ExitCodes.of(new Outcome.FilesUnusable("x")).meaning()).contains("journal write failed");
        assertThat(ExitCodes.of(new Outcome.InternalError("x")).meaning()).doesNotContain("journal");
    }

    @Test
    void aLockedJournalIsDocumentedOnceUnderOneCode() {
        assertThat(ExitCodes.documented()).filteredOn(c -> c.meaning().contains("locked"))
                .extracting(ExitCodes.Code::code).containsExactly(ExitCode.PORT_UNAVAILABLE);
    }

    @Test
    void theHelpListsEveryDocumentedCodeInOrder() {
        StringWriter out = new StringWriter();
        CommandLine cli = PeerCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.execute("--help");

        String help = out.toString();
        String list = help.substring(help.indexOf("Exit codes:"));
        int at = 0;
        for (ExitCodes.Code code : ExitCodes.documented()) {
            Matcher row = Pattern.compile("(?m)^\\s*" + code.code() + "\\s+(\\S.*)$").matcher(list);
            assertThat(row.find(at)).as("help lists exit code " + code.code() + " after the previous one:\n" + list)
                    .isTrue();
            assertThat(code.meaning().replace("`", "")).as("help text of " + code.code()).startsWith(row.group(1).strip());
            at = row.end();
        }
    }

    @Test
    void theReadmeTableHasTheSameCodesAndMeaningsInTheSameOrder() throws IOException {
        List<ExitCodes.Code> table = new ArrayList<>();
        Pattern row = Pattern.compile("^\\| (\\d+) \\| (.+) \\|$");
        boolean inSection = false;
        for (String line : Files.readAllLines(readme())) {
            if (line.startsWith("#")) {
                inSection = line.equals("### Exit codes");
                continue;
            }
            Matcher m = row.matcher(line);
            if (inSection && m.matches()) {
                table.add(new ExitCodes.Code(Integer.parseInt(m.group(1)), m.group(2)));
            }
        }
        assertThat(table).as("README.md, section \"Exit codes\"").containsExactlyElementsOf(ExitCodes.documented());
    }

    private static Path readme() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("README.md")) && Files.exists(dir.resolve("peer"))) {
                return dir.resolve("README.md");
            }
        }
        throw new AssertionError("no README.md above " + Path.of("").toAbsolutePath());
    }

    /** Every record that implements {@code type}, through its sealed sub-interfaces. */
    private static List<Class<?>> records(Class<?> type) {
        return Stream.of(type.getPermittedSubclasses())
                .flatMap(c -> c.isRecord() ? Stream.of(c) : records(c).stream()).toList();
    }

    private static Outcome instance(Class<?> kind) throws Exception {
        Constructor<?> constructor = kind.getDeclaredConstructors()[0];
        Object[] args = constructor.getParameterCount() == 0 ? new Object[0] : new Object[] {"why"};
        return (Outcome) constructor.newInstance(args);
    }
}
