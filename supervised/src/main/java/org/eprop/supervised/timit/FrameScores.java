package org.eprop.supervised.timit;

import org.eprop.learning.tensor.RealArray;

/**
 * Frame errors of a padded batch of utterances, as the original computes its printed "PER": per
 * utterance, the fraction of its frames whose argmax output is not the label, then the mean over
 * utterances (the caller sums and counts). Classes beyond {@code classes} (a CTC blank) are not
 * candidates. With a fold map the predicted and the true 61-phone ids are both folded to the 39
 * scoring classes first.
 */
public final class FrameScores {
    private FrameScores() {
    }

    /** The argmax over the first {@code classes} outputs of row (t, b); ties go to the lowest id. */
    public static int argmax(RealArray y, int t, int b, int batch, int nOut, int classes) {
        int row = (t * batch + b) * nOut;
        int best = 0;
        for (int k = 1; k < classes; k++) {
            if (y.get(row + k) > y.get(row + best)) {
                best = k;
            }
        }
        return best;
    }

    /**
     * The frame error of utterance b of the batch.
     *
     * @param labels the utterance's frame labels (its length is the number of valid frames)
     * @param fold null, or the 61 -> 39 map applied to prediction and label
     */
    public static double utteranceError(RealArray y, int b, int batch, int nOut, int classes, int[] labels, int[] fold) {
        int wrong = 0;
        for (int t = 0; t < labels.length; t++) {
            int p = argmax(y, t, b, batch, nOut, classes);
            int l = labels[t];
            if (fold != null) {
                p = fold[p];
                l = fold[l];
            }
            wrong += p == l ? 0 : 1;
        }
        return wrong / (double) labels.length;
    }
}
