package simchat.dockerit;

import static java.util.Objects.requireNonNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * One compose project under an exact name, driven through the compose command line, so that the
 * tests run the very file users run, with `docker compose` (v2) or `docker-compose` 1.29.
 */
final class ComposeProject {

    // Peers run with a tty, so their logs may carry terminal control sequences.
    private static final Pattern ANSI_ESCAPE = Pattern.compile("\u001B\\[[0-?]*[ -/]*[@-~]");

    private final Path composeFile;
    private final String name;
    private final Map<String, String> environment;
    private final List<String> composeCommand;

    private ComposeProject(Path composeFile, String name, Map<String, String> environment, List<String> composeCommand) {
        this.composeFile = composeFile;
        this.name = name;
        this.environment = environment;
        this.composeCommand = composeCommand;
    }

    /**
     * Returns a handle on project {@code name} of {@code composeFile}, or empty when neither
     * `docker compose` nor `docker-compose` is installed; nothing runs until {@link #up}.
     * {@code environment} is added to the compose command's environment, for variables that
     * the compose file substitutes.
     */
    static Optional<ComposeProject> find(Path composeFile, String name, Map<String, String> environment) {
        requireNonNull(composeFile, "composeFile");
        requireNonNull(name, "name");
        requireNonNull(environment, "environment");
        if (!Files.isRegularFile(composeFile)) {
            throw new IllegalArgumentException("composeFile: " + composeFile + " (expected: an existing file)");
        }
        return detectComposeCommand()
                .map(command -> new ComposeProject(composeFile, name, Map.copyOf(environment), command));
    }

    /**
     * Skips the calling tests, with the reason, unless a Docker engine answers {@code docker info}: the
     * docker tier runs wherever an engine does (CI starts one with docker/ci-setup.sh), and says why not
     * elsewhere.
     */
    static void assumeDockerEngine() {
        assumeTrue(succeeds(List.of("docker", "info")),
                "no Docker engine answers `docker info` (docker/ci-setup.sh installs and starts one)");
    }

    /** Builds the images from the working tree and starts all services in the background. */
    void up(Duration timeout) {
        compose(timeout, "up", "--detach", "--build");
    }

    /** Removes the project's containers and networks; a no-op when there are none. */
    void down() {
        compose(Duration.ofMinutes(1), "down", "--volumes", "--remove-orphans", "--timeout", "5");
    }

    /** Returns what {@code service} has printed so far, without colours or terminal controls. */
    String logs(String service) {
        String raw = compose(Duration.ofSeconds(30), "logs", "--no-color", service);
        return ANSI_ESCAPE.matcher(raw).replaceAll("").replace("\r", "");
    }

    /**
     * Polls {@code service}'s log until {@code done} holds or {@code timeout} has passed, and
     * returns the last log read either way, for the caller's assertions to show.
     */
    String awaitLog(String service, Predicate<String> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String log = logs(service);
        while (!done.test(log) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            log = logs(service);
        }
        return log;
    }

    /** Returns whether {@code service}'s container exists and is running. */
    boolean isRunning(String service) {
        String id = compose(Duration.ofSeconds(30), "ps", "-q", service).strip();
        if (id.isEmpty()) {
            return false;
        }
        String state = run(List.of("docker", "inspect", "--format", "{{.State.Running}}", id), Duration.ofSeconds(30));
        return state.strip().equals("true");
    }

    private String compose(Duration timeout, String... args) {
        List<String> command = new ArrayList<>(composeCommand);
        command.addAll(List.of("--file", composeFile.toString(), "--project-name", name));
        command.addAll(List.of(args));
        return run(command, timeout);
    }

    private String run(List<String> command, Duration timeout) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            // Read concurrently: a chatty build would otherwise block on a full pipe.
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + ": no exit within " + timeout
                        + "; output so far:\n" + output.getNow(""));
            }
            String text = output.get();
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + ": exit " + process.exitValue()
                        + "; output ends with:\n" + lastLines(text, 30));
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(String.join(" ", command) + ": interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(String.join(" ", command) + ": reading output failed", e.getCause());
        }
    }

    private static String lastLines(String text, int count) {
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Prefers the compose v2 plugin; falls back to docker-compose 1.29, which Debian 12 ships. */
    private static Optional<List<String>> detectComposeCommand() {
        for (List<String> command : List.of(List.of("docker", "compose"), List.of("docker-compose"))) {
            List<String> probe = new ArrayList<>(command);
            probe.add("version");
            if (succeeds(probe)) {
                return Optional.of(command);
            }
        }
        return Optional.empty();
    }

    private static boolean succeeds(List<String> command) {
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (process.waitFor(30, TimeUnit.SECONDS)) {
                return process.exitValue() == 0;
            }
            process.destroyForcibly();
            return false;
        } catch (IOException e) {
            return false; // not installed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public String toString() {
        return "compose project " + name + " (" + composeFile + ")";
    }
}
