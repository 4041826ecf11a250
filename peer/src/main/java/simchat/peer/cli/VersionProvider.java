package simchat.peer.cli;

import picocli.CommandLine.IVersionProvider;
import simchat.peer.wire.Hello;

/** The version from the jar manifest, with the protocol version. */
final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = PeerCommand.class.getPackage().getImplementationVersion();
        return new String[] {"peer " + (version == null ? "(development build)" : version)
                + ", protocol version " + Hello.PROTOCOL_VERSION};
    }
}
