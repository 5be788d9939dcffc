package org.eprop.supervised.timit;

import java.nio.file.Path;
import java.util.List;

/**
 * One phone label per feature frame, from the segments of a {@code .PHN} file.
 *
 * <p>The rule is the original's ({@code timit_processing.py}): every segment {@code [start, end)},
 * in file order, writes its id into the frames {@code [start / hop, end / hop)} (integer division,
 * clipped to the frame count); frames no segment reaches keep id 0, the silence. For TIMIT's
 * gap-free segments this gives frame {@code k} the phone that covers sample {@code hop k + hop - 1},
 * the last sample of the frame's 10 ms step. The original divides by 161 where the features step by
 * 160 samples, so its labels fall one sample per frame behind the features (about 19 ms after 3 s);
 * {@link #ORIGINAL_DRIFT_HOP} reproduces that, {@link #HOP} (the default) keeps them aligned.
 */
public final class FrameLabels {

    /** Samples per label frame, equal to the 10 ms feature step at 16 kHz. */
    public static final int HOP = 160;
    /** The original code's label step ({@code int(0.01 * 16000) + 1}). */
    public static final int ORIGINAL_DRIFT_HOP = 161;

    private FrameLabels() {
    }

    /**
     * The 61-phone id of each of {@code frames} frames.
     *
     * @param phnFile the file the segments came from, named in errors
     * @throws TimitFormatException for a symbol that is not one of the 61 TIMIT phones
     */
    public static int[] phones61(List<Segment> segments, int frames, int hop, Path phnFile)
            throws TimitFormatException {
        if (hop <= 0 || frames < 0) {
            throw new IllegalArgumentException("hop " + hop + " and frames " + frames + ": expected hop > 0, frames >= 0");
        }
        int[] labels = new int[frames];
        for (Segment s : segments) {
            int id = PhoneSet.TIMIT_61.id(s.label());
            if (id < 0) {
                throw new TimitFormatException(phnFile, lineOf(phnFile, s.label()) + "'" + s.label()
                        + "' is not one of the 61 TIMIT phones " + PhoneSet.TIMIT_61.names()
                        + "; fix the label or leave the utterance out");
            }
            int to = Math.min(s.end() / hop, frames);
            for (int k = s.start() / hop; k < to; k++) {
                labels[k] = id;
            }
        }
        return labels;
    }

    /**
     * "line N: " for the first line of {@code file} whose label is {@code label}, found again on the
     * error path only (segments do not carry their line numbers); "" when the file cannot be read.
     */
    private static String lineOf(Path file, String label) {
        try {
            List<String> lines = java.nio.file.Files.readAllLines(file, java.nio.charset.StandardCharsets.ISO_8859_1);
            for (int i = 0; i < lines.size(); i++) {
                String[] parts = lines.get(i).trim().split("\\s+");
                if (parts.length >= 3 && parts[2].equals(label)) {
                    return "line " + (i + 1) + ": ";
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // the message still names the file and the symbol
        }
        return "";
    }
}
