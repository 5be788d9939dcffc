package org.eprop.supervised.timit;

/**
 * One line of a {@code .PHN} or {@code .WRD} file: a label over the samples {@code [start, end)}
 * (16 kHz sample indices, as TIMIT writes them).
 */
public record Segment(int start, int end, String label) {

    public Segment {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("segment [" + start + ", " + end + ") of '" + label
                    + "': expected 0 <= start <= end");
        }
    }
}
