package org.eprop.supervised.timit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameLabelsTest {

    private static final PhoneSet P = PhoneSet.TIMIT_61;
    private static final Path PHN = Path.of("dr1/fcjf0/si1027.phn");

    @Test
    void oneLabelPerTenMilliseconds() throws TimitFormatException {
        // h# [0, 300), k [300, 1000), iy [1000, 1290): frames of 160 samples (by hand: 300 / 160 = 1,
        // 1000 / 160 = 6, 1290 / 160 = 8)
        List<Segment> s = List.of(new Segment(0, 300, "h#"), new Segment(300, 1000, "k"), new Segment(1000, 1290, "iy"));
        int h = P.id("h#");
        int k = P.id("k");
        int iy = P.id("iy");
        assertArrayEquals(new int[] {h, k, k, k, k, k, iy, iy, h, h}, FrameLabels.phones61(s, 10, 160, PHN));
        // the original's 161: 300 / 161 = 1, 1000 / 161 = 6, 1290 / 161 = 8 here too ...
        assertArrayEquals(new int[] {h, k, k, k, k, k, iy, iy, h, h}, FrameLabels.phones61(s, 10, 161, PHN));
        // ... but the drift shows once boundaries fall between 160 k and 161 k: 1600 / 160 = 10, 1600 / 161 = 9
        List<Segment> late = List.of(new Segment(0, 1600, "h#"), new Segment(1600, 2000, "s"));
        int sh = P.id("s");
        assertArrayEquals(new int[] {h, h, h, h, h, h, h, h, h, h, sh, sh, h},
                FrameLabels.phones61(late, 13, 160, PHN));
        assertArrayEquals(new int[] {h, h, h, h, h, h, h, h, h, sh, sh, sh, h},
                FrameLabels.phones61(late, 13, 161, PHN));
    }

    @Test
    void segmentsPastTheLastFrameAreCutAndLaterSegmentsWin() throws TimitFormatException {
        List<Segment> s = List.of(new Segment(0, 500, "aa"), new Segment(320, 5000, "b"));
        int aa = P.id("aa");
        int b = P.id("b");
        assertArrayEquals(new int[] {aa, aa, b, b}, FrameLabels.phones61(s, 4, 160, PHN));
        assertArrayEquals(new int[] {0, 0, 0}, FrameLabels.phones61(List.of(new Segment(800, 900, "aa")), 3, 160, PHN));
    }

    @Test
    void unknownSymbolsAreRefusedWithTheFile() {
        TimitFormatException e = assertThrows(TimitFormatException.class,
                () -> FrameLabels.phones61(List.of(new Segment(0, 10, "sil")), 1, 160, PHN));
        assertTrue(e.getMessage().startsWith(PHN + ": 'sil' is not one of the 61 TIMIT phones"), e.getMessage());
    }

    @Test
    void anUnknownPhoneIsNamedWithItsLine(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws java.io.IOException {
        java.nio.file.Path phn = tmp.resolve("SI1027.PHN");
        java.nio.file.Files.writeString(phn, "0 3050 h#\n3050 4559 sh\n4559 5723 xx\n");
        List<Segment> segments = Transcripts.readSegments(phn);
        TimitFormatException e = assertThrows(TimitFormatException.class,
                () -> FrameLabels.phones61(segments, 36, 160, phn));
        assertTrue(e.getMessage().startsWith(phn + ": line 3: 'xx' is not one of the 61 TIMIT phones"),
                e.getMessage());
    }
}
