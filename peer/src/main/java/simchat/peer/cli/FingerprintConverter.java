package simchat.peer.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import simchat.peer.tls.Fingerprint;

/** Converts a key fingerprint as people type it ({@code SHA256:3f2a-91c0-…}, any case and separators). */
final class FingerprintConverter implements ITypeConverter<Fingerprint> {

    @Override
    public Fingerprint convert(String value) {
        try {
            return Fingerprint.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
