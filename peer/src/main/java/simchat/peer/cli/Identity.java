package simchat.peer.cli;

import java.lang.reflect.Method;

/** Facts about who and where we are, found without network look-ups. */
final class Identity {

    private Identity() {
    }

    /**
     * The user name alone: the other peer adds our host name only when its own name is the same (see
     * {@code Hello#displayNameOf}), so that two peers of one user stay apart without everyone being user@host.
     */
    static String defaultName() {
        return System.getProperty("user.name", "someone");
    }

    /** Whether both standard input and output are a terminal. */
    static boolean interactive() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // Java 22+ returns a console even for pipes and says so through isTerminal().
            Method isTerminal = java.io.Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
