package simchat.rendezvous;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bin/rendezvous}: parses options, then runs a {@link RendezvousServer} until stopped. */
@Command(name = "rendezvous",
        mixinStandardHelpOptions = true,
        versionProvider = RendezvousCommand.Version.class,
        description = "Introduces two simchat peers behind NATs to each other and times their "
                + "simultaneous open. Never carries chat.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:stopped normally",
            "1:unexpected failure",
            "2:invalid options",
            "3:the port (or probe port) is already in use",
            "4:cannot listen on the address (not local, or not permitted)"})
public final class RendezvousCommand implements Callable<Integer> {

    static final int EXIT_PORT_IN_USE = 3;
    static final int EXIT_CANNOT_BIND = 4;

    @Spec
    private CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "7000",
            description = "TCP port peers connect to (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--probe-port", paramLabel = "PORT",
            description = "Second TCP port, for peers to check whether their NAT keeps one mapping "
                    + "per local port (default: PORT + 1).")
    private Integer probePort;

    @Option(names = "--no-probe", description = "Do not open the probe port.")
    private boolean noProbe;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "0.0.0.0",
            description = "Local address to listen on (default: ${DEFAULT-VALUE}).")
    private String bind;

    @Option(names = "--room-ttl", paramLabel = "DURATION", defaultValue = "10m",
            converter = DurationConverter.class,
            description = "How long a room waits for the second peer, e.g. 90s, 10m (default: ${DEFAULT-VALUE}).")
    private Duration roomTtl;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "60s",
            converter = DurationConverter.class,
            description = "Drop a connection that sends nothing for this long (default: ${DEFAULT-VALUE}).")
    private Duration idleTimeout;

    @Option(names = "--relay",
            description = "Also relay two peers whose hole punch cannot work (both must accept it; off by default: "
                    + "it costs this host bandwidth). The peers' TLS runs end to end through it.")
    private boolean relay;

    @Option(names = "--relay-limit", paramLabel = "PAIRS,BYTES", defaultValue = "256,64M",
            description = "With --relay: pairs relayed at once, and bytes per pair (suffix K, M or G), e.g. 50,16M "
                    + "(default: ${DEFAULT-VALUE}; at most 8 pairs per public address).")
    private String relayLimit;

    @Option(names = {"-v", "--verbose"}, description = "Print every join, pairing and round.")
    private boolean verbose;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with one-line usage errors instead of the whole help text. */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new RendezvousCommand());
        commandLine.setParameterExceptionHandler((e, args) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("rendezvous: " + e.getMessage() + " (see: rendezvous --help)");
            err.flush();
            return e.getCommandLine().getCommandSpec().exitCodeOnInvalidInput();
        });
        return commandLine;
    }

    @Override
    public Integer call() throws InterruptedException {
        Logging.configure(verbose);
        RendezvousConfig config = config();
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        RendezvousServer server = new RendezvousServer(config, RendezvousMetrics.NONE);
        try {
            server.start();
        } catch (BindException e) {
            InetSocketAddress failed = failedAddress(config, e);
            boolean inUse = String.valueOf(e.getMessage()).contains("in use");
            err.println("rendezvous: cannot listen on " + display(failed) + ": "
                    + (inUse ? "address already in use" : String.valueOf(e.getMessage()).toLowerCase()));
            err.flush();
            return inUse ? EXIT_PORT_IN_USE : EXIT_CANNOT_BIND;
        } catch (IOException | RuntimeException e) {
            err.println("rendezvous: cannot listen on " + display(config.address()) + ": " + e.getMessage());
            err.flush();
            return EXIT_CANNOT_BIND;
        }
        Thread hook = new Thread(server::close, "rendezvous-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        RelayLimits limits = config.relay();
        out.println("rendezvous listening on " + bind + ":" + server.address().getPort()
                + (server.probeAddress() != null ? " (probe port " + server.probeAddress().getPort() + ")" : "")
                + (limits == null ? "" : "; relaying on the same port, at most " + limits.maxPairs() + " pairs of "
                + limits.bytesPerPair() + " bytes each"));
        out.flush();
        server.terminationFuture().await();
        return 0;
    }

    private RendezvousConfig config() {
        checkPort(port, "--port");
        InetAddress address;
        try {
            address = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--bind: " + bind + " (expected: a local IP address or host name)");
        }
        InetSocketAddress probe = null;
        if (!noProbe) {
            int p = probePort != null ? probePort : port + 1;
            checkPort(p, "--probe-port");
            if (p == port) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--probe-port: " + p + " (expected: different from --port)");
            }
            probe = new InetSocketAddress(address, p);
        }
        RelayLimits limits = relayLimits();
        if (!relay && spec.commandLine().getParseResult().hasMatchedOption("--relay-limit")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--relay-limit: only with --relay");
        }
        return RendezvousConfig.of(new InetSocketAddress(address, port), probe)
                .withRoomTtl(roomTtl)
                .withTimeouts(idleTimeout, RendezvousConfig.DEFAULT_JOIN_TIMEOUT,
                        RendezvousConfig.DEFAULT_RESULT_TIMEOUT)
                .withRelay(relay ? limits : null);
    }

    /** {@code --relay-limit PAIRS,BYTES}, e.g. {@code 50,16M}. */
    private RelayLimits relayLimits() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,6}),(\\d{1,12})([KMG]?)")
                .matcher(relayLimit.strip().toUpperCase(java.util.Locale.ROOT));
        long pairs = m.matches() ? Long.parseLong(m.group(1)) : 0;
        long bytes = m.matches() ? Long.parseLong(m.group(2)) << switch (m.group(3)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            default -> 0;
        } : 0;
        if (pairs < 1 || bytes < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--relay-limit: " + relayLimit
                    + " (expected: PAIRS,BYTES with both at least 1, e.g. 50,16M)");
        }
        return RelayLimits.defaults().with((int) pairs, bytes);
    }

    private void checkPort(int value, String option) {
        if (value < 1 || value > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    option + ": " + value + " (expected: 1-65535)");
        }
    }

    private static String display(InetSocketAddress address) {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    private static InetSocketAddress failedAddress(RendezvousConfig config, BindException e) {
        // The probe port is bound first; the exception does not say which one failed, so try it.
        if (config.probeAddress() != null && !bindable(config.probeAddress())) {
            return config.probeAddress();
        }
        return config.address();
    }

    private static boolean bindable(InetSocketAddress address) {
        try (java.net.ServerSocket socket = new java.net.ServerSocket()) {
            socket.bind(address);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = RendezvousCommand.class.getPackage().getImplementationVersion();
            return new String[] {"rendezvous " + (v != null ? v : "(development build)")};
        }
    }
}
