package simchat.peer.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Ports that were free a moment ago on loopback, never the same one twice in this JVM. */
final class FreePorts {

    /** The kernel may hand out a just-released ephemeral port again: two peers of one test would then share it. */
    private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    static int next() throws IOException {
        for (int tries = 0; tries < 1_000; tries++) {
            try (ServerSocket socket = new ServerSocket(0)) {
                if (GIVEN.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            }
        }
        throw new IOException("no loopback port that was not handed out already");
    }
}
