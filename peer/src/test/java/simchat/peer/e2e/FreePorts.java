package simchat.peer.e2e;

import java.io.IOException;
import java.net.ServerSocket;

/** Ports that were free a moment ago on loopback. */
final class FreePorts {

    private FreePorts() {
    }

    static int next() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
