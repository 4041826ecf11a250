package simchat.peer.dial;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Another program, for {@link PortPairTakenTest}: holds an established loopback connection from one port to
 * another until its standard input ends. Run as {@code HoldConnection LOCAL_PORT REMOTE_PORT REUSE}, where
 * {@code REUSE} says whether the connecting socket sets SO_REUSEADDR (as another chat peer does) or not (as most
 * programs do). Prints {@code holding} once the connection is up.
 */
final class HoldConnection {

    private HoldConnection() {
    }

    public static void main(String[] args) throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        int localPort = Integer.parseInt(args[0]);
        int remotePort = Integer.parseInt(args[1]);
        try (ServerSocket listener = new ServerSocket(); Socket client = new Socket()) {
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(loopback, remotePort), 1);
            client.setReuseAddress(Boolean.parseBoolean(args[2]));
            client.bind(new InetSocketAddress(loopback, localPort));
            client.connect(new InetSocketAddress(loopback, remotePort));
            try (Socket accepted = listener.accept()) {
                listener.close();
                System.out.println("holding");
                System.out.flush();
                while (System.in.read() >= 0) {
                    // Hold on until the test closes our input.
                }
            }
        }
    }
}
