package simchat.peer;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

import simchat.peer.dial.Endpoints;

/**
 * Where this peer dials from and to, resolved once: {@code local} (the fixed port, on {@code --bind} or the
 * wildcard address of the remote's family) and {@code remote} (the other peer, or the rendezvous).
 */
record Addresses(InetSocketAddress local, InetSocketAddress remote) {

    static Addresses resolve(PeerConfig config) throws CannotStart {
        try {
            InetAddress bind = config.bind() == null ? null : InetAddress.getByName(config.bind());
            HostPort target = config.viaRendezvous() ? config.rendezvous() : config.remote();
            InetSocketAddress remote = new InetSocketAddress(pick(target.host(), bind), target.port());
            InetSocketAddress local = new InetSocketAddress(bind != null ? bind : wildcard(remote.getAddress()),
                    config.localPort());
            if (!config.viaRendezvous() && remote.getPort() == local.getPort() && (bind == null
                    ? Endpoints.isOnThisHost(remote.getAddress()) : bind.equals(remote.getAddress()))) {
                throw new CannotStart(new Outcome.UsageError("--remote " + config.remote() + " is this peer itself"
                        + " (same address and port): use another port on one side"));
            }
            return new Addresses(local, remote);
        } catch (UnknownHostException e) {
            throw new CannotStart(new Outcome.UsageError("cannot resolve host: " + e.getMessage()));
        }
    }

    private static InetAddress wildcard(InetAddress like) throws UnknownHostException {
        return InetAddress.getByName(like instanceof Inet6Address ? "::" : "0.0.0.0");
    }

    /** The host's first address, or its first of {@code bind}'s family. */
    private static InetAddress pick(String host, InetAddress bind) throws UnknownHostException {
        InetAddress[] all = InetAddress.getAllByName(host);
        if (bind != null) {
            for (InetAddress a : all) {
                if (a.getClass() == bind.getClass()) {
                    return a;
                }
            }
        }
        return all[0];
    }
}
