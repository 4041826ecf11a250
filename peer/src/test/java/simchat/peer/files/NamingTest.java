package simchat.peer.files;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Free names for files that must not overwrite others, and sizes as people read them. */
class NamingTest {

    @Test
    void aTakenNameGetsANumberBeforeItsExtension() {
        assertThat(FreeNames.candidate("report.pdf", 0, false)).isEqualTo("report.pdf");
        assertThat(FreeNames.candidate("report.pdf", 1, false)).isEqualTo("report (1).pdf");
        assertThat(FreeNames.candidate("archive.tar.gz", 2, false)).isEqualTo("archive.tar (2).gz");
        assertThat(FreeNames.candidate(".bashrc", 1, false)).isEqualTo(".bashrc (1)");
        assertThat(FreeNames.candidate("Makefile", 1, false)).isEqualTo("Makefile (1)");
        assertThat(FreeNames.candidate("v1.2", 1, true)).as("a folder has no extension").isEqualTo("v1.2 (1)");
    }

    @Test
    void sizesUseDecimalUnitsWithOneDecimalBelowTen() {
        assertThat(Sizes.bytes(0)).isEqualTo("0 B");
        assertThat(Sizes.bytes(999)).isEqualTo("999 B");
        assertThat(Sizes.bytes(270_000)).isEqualTo("270 kB");
        assertThat(Sizes.bytes(3_145_745)).isEqualTo("3.1 MB");
        assertThat(Sizes.bytes(612_000_000)).isEqualTo("612 MB");
        assertThat(Sizes.bytes(1_300_000_000)).isEqualTo("1.3 GB");
        assertThat(Sizes.bytes(999_999_999)).isEqualTo("1.0 GB");
        assertThat(Sizes.rate(94_000_000, 1000)).isEqualTo("94 MB/s");
        assertThat(Sizes.seconds(14_200)).isEqualTo("14.2 s");
    }

    @Test
    void theProgressLineShowsBarPercentSizesRateAndEta() {
        var progress = new FileEvents.Progress(1, "holiday", "holiday/IMG_2041.jpg", false, 624_000_000,
                1_300_000_000, 94_000_000, 7_200);
        assertThat(progress.line(false))
                .isEqualTo("* holiday/IMG_2041.jpg  [========>           ] 48 %  624 MB/1.3 GB  94 MB/s  ETA 7 s");
    }
}
