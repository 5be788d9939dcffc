package org.eprop.supervised.timit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Readers of TIMIT's time-aligned text files: {@code .PHN}, {@code .WRD} and {@code .TXT}. */
public final class Transcripts {

    /** The sentence of a {@code .TXT} file and the samples it spans. */
    public record Sentence(int start, int end, String text) {
    }

    private Transcripts() {
    }

    /**
     * The segments of a {@code .PHN} or {@code .WRD} file, in file order: one
     * {@code start_sample end_sample label} line each (blank lines are skipped).
     */
    public static List<Segment> readSegments(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        List<Segment> out = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (f.length != 3) {
                throw lineError(file, i, line, "expected 'start_sample end_sample label'");
            }
            int start = sampleIndex(file, i, line, f[0]);
            int end = sampleIndex(file, i, line, f[1]);
            if (end < start) {
                throw lineError(file, i, line, "the segment ends before it starts");
            }
            out.add(new Segment(start, end, f[2]));
        }
        return out;
    }

    /** The first line of a {@code .TXT} file: {@code start_sample end_sample sentence}. */
    public static Sentence readSentence(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\\s+", 3);
            if (f.length < 2) {
                throw lineError(file, i, line, "expected 'start_sample end_sample sentence'");
            }
            return new Sentence(sampleIndex(file, i, line, f[0]), sampleIndex(file, i, line, f[1]),
                    f.length == 3 ? f[2] : "");
        }
        throw new TimitFormatException(file, "empty transcription (expected 'start_sample end_sample sentence')");
    }

    private static int sampleIndex(Path file, int line, String text, String field) throws TimitFormatException {
        try {
            int v = Integer.parseInt(field);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw lineError(file, line, text, "'" + field + "' is not a sample index (a non-negative integer)");
    }

    private static TimitFormatException lineError(Path file, int line, String text, String why) {
        return new TimitFormatException(file, "line " + (line + 1) + " '" + text + "': " + why);
    }
}
