package simchat.peer.lab;

/**
 * Closes a lab if the test JVM is ended (SIGTERM, a fork timeout, {@code System.exit}) before the test
 * closed it, so that no namespaces, NAT rules or peer processes outlive the run.
 */
final class ShutdownGuard {

    private final Thread hook;

    ShutdownGuard(String name, Runnable close) {
        hook = new Thread(close, "close " + name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The lab is being closed by its test: nothing left to do at exit. */
    void release() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down, and this hook is what closes the lab.
        }
    }
}
