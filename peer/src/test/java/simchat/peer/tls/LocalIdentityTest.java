package simchat.peer.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalIdentityTest {

    @TempDir
    Path home;

    @Test
    void isCreatedOnFirstUseReadableByTheOwnerOnlyAndTheSameEveryTimeAfter() throws Exception {
        ConfigDir dir = new ConfigDir(home.resolve("simchat"));
        LocalIdentity first = LocalIdentity.loadOrCreate(dir);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.identityFile())))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.path()))).isEqualTo("rwx------");
        assertThat(Files.readString(dir.identityFile())).contains("BEGIN PRIVATE KEY", "BEGIN CERTIFICATE");
        assertThat(LocalIdentity.loadOrCreate(dir).fingerprint()).isEqualTo(first.fingerprint());
        assertThat(first.certificate().getPublicKey().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void aPeerStartedAtTheSameMomentNeverReplacesTheIdentityAnotherJustCreated() throws Exception {
        ConfigDir dir = new ConfigDir(home.resolve("simchat"));

        assertThat(dir.createPrivately(dir.identityFile(), "first")).isTrue();
        assertThat(dir.createPrivately(dir.identityFile(), "second")).as("created by the other peer").isFalse();

        assertThat(Files.readString(dir.identityFile())).isEqualTo("first");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.identityFile())))
                .isEqualTo("rw-------");
        try (var files = Files.list(dir.path())) {
            assertThat(files).as("no temporary file left behind").containsExactly(dir.identityFile());
        }
    }

    @Test
    void refusesAnIdentityFileOthersCanRead() throws Exception {
        ConfigDir dir = new ConfigDir(home.resolve("simchat"));
        LocalIdentity.loadOrCreate(dir);
        Files.setPosixFilePermissions(dir.identityFile(), PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> LocalIdentity.loadOrCreate(dir))
                .hasMessage(dir.identityFile() + " is accessible by others (mode rw-r--r--): run chmod 600 "
                        + dir.identityFile());
    }

    @Test
    void livesUnderXdgConfigHomeOrElseDotConfig() {
        assertThat(ConfigDir.standard(Map.of("XDG_CONFIG_HOME", "/x/cfg"), "/home/a").path())
                .isEqualTo(Path.of("/x/cfg/simchat"));
        assertThat(ConfigDir.standard(Map.of(), "/home/a").path()).isEqualTo(Path.of("/home/a/.config/simchat"));
        assertThat(ConfigDir.standard(Map.of("XDG_CONFIG_HOME", "relative"), "/home/a").path())
                .isEqualTo(Path.of("/home/a/.config/simchat"));
    }
}
