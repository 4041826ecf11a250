package simchat.peer.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import simchat.peer.HostPort;

/** Converts {@code HOST:PORT} and {@code [IPv6]:PORT}. */
final class HostPortConverter implements ITypeConverter<HostPort> {

    @Override
    public HostPort convert(String value) {
        try {
            return HostPort.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
