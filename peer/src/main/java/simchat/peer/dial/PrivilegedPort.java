package simchat.peer.dial;

import java.util.Locale;

/**
 * A bind refused with "Permission denied": the port is privileged and this user may not bind it. Said as such,
 * because nothing else holds the port and looking for another program would mislead.
 */
public final class PrivilegedPort {

    private PrivilegedPort() {
    }

    /** Whether the kernel's {@code reason} for refusing the local port means it is privileged. */
    public static boolean refused(String reason) {
        return reason != null && reason.toLowerCase(Locale.ROOT).contains("permission denied");
    }

    /** One line for the user. */
    public static String explain(int port) {
        return "local port " + port + " is a privileged port: only root or a program with CAP_NET_BIND_SERVICE may"
                + " bind it (on Linux, ports below net.ipv4.ip_unprivileged_port_start, usually 1024); choose a"
                + " --local port of 1024 or more (the default is 8000)";
    }
}
