package org.eprop.envs.supervised;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eprop.learning.gradient.Targets;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;
import org.junit.jupiter.api.Test;

/** The frame-wise metric against hand-counted cases, beside the per-trial one. */
class FrameErrorTest {

    /** Outputs [steps x batch x 2] whose argmax is {@code argmax[t][b]}. */
    private static RealArray outputs(int[][] argmax) {
        int steps = argmax.length;
        int batch = argmax[0].length;
        RealArray y = Precision.FLOAT64.zeros(steps * batch * 2);
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                y.set((t * batch + b) * 2 + argmax[t][b], 1.0);
            }
        }
        return y;
    }

    @Test
    void eachSequenceCountsOnceWhateverItsLength() {
        // Sequence 0: 4 scored frames, 1 wrong (1/4). Sequence 1: 2 scored frames (the rest is
        // padding with weight 0), 2 wrong (2/2). Frame error = mean(1/4, 1) = 0.625, whereas
        // pooling the frames would give 3/6 = 0.5.
        int[][] argmax = {{0, 1}, {1, 0}, {1, 1}, {0, 0}};
        int[][] labels = {{0, 0}, {1, 1}, {1, 0}, {1, 0}};
        Targets targets = new Targets().resize(4, 2, 2);
        for (int t = 0; t < 4; t++) {
            for (int b = 0; b < 2; b++) {
                targets.setLabel(t, b, labels[t][b]);
                targets.setWeight(t, b, b == 1 && t >= 2 ? 0.0 : 1.0);
            }
        }
        assertEquals(0.625, TaskMetrics.frameError(outputs(argmax), targets), 0.0);
        assertEquals(0.625, TaskMetrics.error(SupervisedTask.Metric.FRAME_ERROR, outputs(argmax), targets), 0.0);
    }

    @Test
    void theTrialMetricDecidesOncePerTrialOnTheSameBatch() {
        // Trial-wise: the readouts averaged over the scored steps decide once. Sequence 0 averages
        // (3 x class 0, 1 x class 1) -> class 0, label of its last scored step is 1: wrong.
        int[][] argmax = {{0, 1}, {0, 1}, {0, 1}, {1, 1}};
        Targets targets = new Targets().resize(4, 2, 2);
        for (int t = 0; t < 4; t++) {
            for (int b = 0; b < 2; b++) {
                targets.setLabel(t, b, 1);
                targets.setWeight(t, b, 1.0);
            }
        }
        assertEquals(0.5, TaskMetrics.error(SupervisedTask.Metric.TRIAL_ERROR, outputs(argmax), targets), 0.0);
        assertEquals((3.0 / 4 + 0.0) / 2, TaskMetrics.error(SupervisedTask.Metric.FRAME_ERROR, outputs(argmax),
                targets), 0.0);
    }

    @Test
    void noScoredFrameIsNotANumber() {
        Targets targets = new Targets().resize(2, 1, 2);
        assertTrue(Double.isNaN(TaskMetrics.frameError(outputs(new int[][] {{0}, {1}}), targets)));
    }

    @Test
    void metricNamesAreTheColumnsUsersSee() {
        assertEquals("error", SupervisedTask.Metric.TRIAL_ERROR.id());
        assertEquals("frame_error", SupervisedTask.Metric.FRAME_ERROR.id());
        assertEquals("nmse", SupervisedTask.Metric.NMSE.id());
        assertEquals("validation", SupervisedTask.Split.VALIDATION.id());
    }
}
