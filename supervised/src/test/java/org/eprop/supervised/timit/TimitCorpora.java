package org.eprop.supervised.timit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Small synthetic corpora in the NLTK sample's layout, with real audio and phone files. */
final class TimitCorpora {

    private TimitCorpora() {
    }

    /** One utterance of a synthetic corpus. */
    record Made(String speakerFolder, String sentence, short[] samples, Object[] segments) {
        Path audio(Path root) {
            return root.resolve(speakerFolder).resolve(sentence + ".wav");
        }

        Path phones(Path root) {
            return root.resolve(speakerFolder).resolve(sentence + ".phn");
        }
    }

    /**
     * Six utterances: three for training (two speakers), two for validation (dr7), one for testing
     * (dr8), of different lengths, labelled with a few phones each; plus an SA file that is skipped.
     */
    static List<Made> write(Path root) throws IOException {
        List<Made> made = new ArrayList<>();
        String[][] utterances = {
            {"dr1-faaa0", "si1", "4321"}, {"dr1-faaa0", "sx2", "2999"}, {"dr3-mbbb0", "si3", "6100"},
            {"dr7-fccc0", "sx4", "3500"}, {"dr7-fccc0", "si5", "1800"}, {"dr8-mddd0", "sx6", "5000"}};
        String[] phones = {"h#", "sh", "iy", "hh", "ae", "dcl", "d", "pau", "ix", "q"};
        for (int i = 0; i < utterances.length; i++) {
            int n = Integer.parseInt(utterances[i][2]);
            short[] x = TimitTestFiles.signal(n, 100 + i);
            // contiguous segments of varying length, ending 37 samples before the audio does
            List<Object> seg = new ArrayList<>();
            int start = 0;
            int p = i;
            while (start < n - 37) {
                int end = Math.min(n - 37, start + 250 + 173 * (p % 5));
                seg.add(start);
                seg.add(end);
                seg.add(start == 0 ? "h#" : phones[p % phones.length]);
                start = end;
                p++;
            }
            Made m = new Made(utterances[i][0], utterances[i][1], x, seg.toArray());
            TimitTestFiles.writeRiff(m.audio(root), x, 16000);
            TimitTestFiles.writeSegments(m.phones(root), m.segments());
            made.add(m);
        }
        TimitTestFiles.writeRiff(root.resolve("dr1-faaa0/sa1.wav"), TimitTestFiles.signal(999, 1), 16000);
        TimitTestFiles.writeSegments(root.resolve("dr1-faaa0/sa1.phn"), 0, 999, "h#");
        return made;
    }

    /** The segments of {@code m} as written. */
    static List<Segment> segments(Made m) {
        List<Segment> out = new ArrayList<>();
        Object[] s = m.segments();
        for (int i = 0; i < s.length; i += 3) {
            out.add(new Segment((Integer) s[i], (Integer) s[i + 1], (String) s[i + 2]));
        }
        return out;
    }
}
