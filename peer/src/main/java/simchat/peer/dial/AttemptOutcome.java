package simchat.peer.dial;

import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.util.Locale;

import io.netty.channel.ConnectTimeoutException;

/** What one failed connect attempt says about the path to the other peer. */
public enum AttemptOutcome {
    /** The other host answered with a reset: reachable, but the peer is not dialing at this instant. */
    REFUSED("connection refused"),
    /** Nothing answered the SYNs: the peer is absent behind a silent firewall or NAT, or the host is down. */
    TIMED_OUT("no answer"),
    /** An ICMP error said the host or network cannot be reached. */
    UNREACHABLE("host unreachable"),
    /** The address pair is still taken, e.g. by another program or a connection in TIME_WAIT. */
    ADDRESS_PAIR_BUSY("address pair busy"),
    /** Our fixed local port cannot be bound: nothing will ever work. */
    LOCAL_PORT_UNAVAILABLE("local port unavailable"),
    /** Anything else; the detail is in the exception. */
    OTHER("error");

    private final String description;

    AttemptOutcome(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** The JDK's reason without Netty's address annotation, e.g. {@code "Address already in use"}. */
    public static String reason(Throwable cause) {
        String message = String.valueOf(cause.getMessage());
        int annotation = message.indexOf(": /");
        return annotation < 0 ? message : message.substring(0, annotation);
    }

    /** Classifies the cause of a failed connect future. */
    public static AttemptOutcome of(Throwable cause) {
        if (cause instanceof ConnectTimeoutException) {
            return TIMED_OUT;
        }
        String message = cause.getMessage() == null ? "" : cause.getMessage().toLowerCase(Locale.ROOT);
        // The JDK reports EADDRNOTAVAIL from connect() as a BindException too; it is not about our port.
        if (message.contains("cannot assign requested address")) {
            return ADDRESS_PAIR_BUSY;
        }
        // Linux may accept the bind and refuse the connect when a listening socket holds the port.
        if (cause instanceof BindException || message.contains("address already in use")
                || message.contains("permission denied")) {
            return LOCAL_PORT_UNAVAILABLE;
        }
        if (cause instanceof NoRouteToHostException) {
            return UNREACHABLE;
        }
        if (message.contains("timed out")) {
            return TIMED_OUT;
        }
        if (message.contains("unreachable") || message.contains("host is down")) {
            return UNREACHABLE;
        }
        if (cause instanceof ConnectException || message.contains("refused")) {
            return REFUSED;
        }
        return OTHER;
    }
}
