package org.eprop.supervised.timit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TranscriptsTest {

    @TempDir
    Path tmp;

    @Test
    void readsPhonesWordsAndText() throws IOException {
        Path phn = tmp.resolve("SX116.PHN");
        Files.writeString(phn, "0 2190 h#\n2190 3430 k\n\n3430 4326 l\r\n");
        assertEquals(List.of(new Segment(0, 2190, "h#"), new Segment(2190, 3430, "k"), new Segment(3430, 4326, "l")),
                Transcripts.readSegments(phn));
        Path wrd = tmp.resolve("SX116.WRD");
        Files.writeString(wrd, "2190 8804 clasp\n8804 9734 the\n");
        assertEquals(new Segment(8804, 9734, "the"), Transcripts.readSegments(wrd).get(1));
        Path txt = tmp.resolve("SX116.TXT");
        Files.writeString(txt, "0 32154 Clasp the screw in your left hand.\n");
        assertEquals(new Transcripts.Sentence(0, 32154, "Clasp the screw in your left hand."),
                Transcripts.readSentence(txt));
    }

    @Test
    void malformedLinesNameFileAndLine() throws IOException {
        Path phn = tmp.resolve("bad.phn");
        Files.writeString(phn, "0 2190 h#\n2190 x k\n");
        TimitFormatException e = assertThrows(TimitFormatException.class, () -> Transcripts.readSegments(phn));
        assertTrue(e.getMessage().contains("bad.phn: line 2 '2190 x k': 'x' is not a sample index"), e.getMessage());

        Files.writeString(phn, "0 2190\n");
        e = assertThrows(TimitFormatException.class, () -> Transcripts.readSegments(phn));
        assertTrue(e.getMessage().contains("line 1 '0 2190': expected 'start_sample end_sample label'"),
                e.getMessage());

        Files.writeString(phn, "500 400 h#\n");
        e = assertThrows(TimitFormatException.class, () -> Transcripts.readSegments(phn));
        assertTrue(e.getMessage().contains("ends before it starts"), e.getMessage());

        Path txt = tmp.resolve("empty.txt");
        Files.writeString(txt, "\n");
        e = assertThrows(TimitFormatException.class, () -> Transcripts.readSentence(txt));
        assertTrue(e.getMessage().contains("empty transcription"), e.getMessage());
    }

    @Test
    void malformedWordFilesNameFileAndLine() throws IOException {
        Path wrd = tmp.resolve("SI1027.WRD");
        Files.writeString(wrd, "3050 5723 she\n5723 had\n");
        TimitFormatException e = assertThrows(TimitFormatException.class, () -> Transcripts.readSegments(wrd));
        assertTrue(e.getMessage().contains("SI1027.WRD: line 2 '5723 had': expected 'start_sample end_sample label'"),
                e.getMessage());
        // a file cut in the middle of a line
        Files.writeString(wrd, "3050 5723 she\n5723 67");
        e = assertThrows(TimitFormatException.class, () -> Transcripts.readSegments(wrd));
        assertTrue(e.getMessage().contains("SI1027.WRD: line 2"), e.getMessage());
    }
}
