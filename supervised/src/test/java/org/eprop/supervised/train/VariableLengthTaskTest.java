package org.eprop.supervised.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.eprop.envs.supervised.SupervisedTask;
import org.eprop.learning.gradient.CrossEntropy;
import org.eprop.learning.gradient.FastEprop;
import org.eprop.learning.gradient.Feedback;
import org.eprop.learning.gradient.RateRegularizer;
import org.eprop.learning.gradient.Targets;
import org.eprop.learning.network.ForwardPass;
import org.eprop.learning.network.ReadoutInit;
import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.network.Trajectory;
import org.eprop.learning.neuron.NeuronLayer;
import org.eprop.learning.neuron.Readout;
import org.eprop.learning.optim.Adam;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;
import org.eprop.learning.train.Learner;
import org.junit.jupiter.api.Test;

/**
 * The task shape a speech corpus needs: batches whose length changes from batch to batch, named
 * splits, and a frame-wise metric. A toy frame task: at every step one of two input channels is
 * on, and the label of the step is which one.
 */
class VariableLengthTaskTest {

    /** Remembers which split and length each batch had. */
    static final class FrameTask implements SupervisedTask {
        final List<Split> splits = new ArrayList<>();
        final List<Integer> lengths = new ArrayList<>();

        @Override
        public String id() {
            return "test/frames";
        }

        @Override
        public int inputs() {
            return 2;
        }

        @Override
        public int outputs() {
            return 2;
        }

        @Override
        public int steps() {
            return 40;
        }

        @Override
        public double dtMs() {
            return 1.0;
        }

        @Override
        public Kind kind() {
            return Kind.CLASSIFICATION;
        }

        @Override
        public Metric metric() {
            return Metric.FRAME_ERROR;
        }

        @Override
        public int sampleBatch(Split split, Rng rng, int batch, RealArray x, Targets targets) {
            int steps = 20 + 10 * rng.nextInt(3);
            splits.add(split);
            lengths.add(steps);
            targets.resize(steps, batch, 2);
            for (int t = 0; t < steps; t++) {
                for (int b = 0; b < batch; b++) {
                    int label = rng.nextInt(2);
                    x.set((t * batch + b) * 2 + label, 1.0);
                    x.set((t * batch + b) * 2 + 1 - label, 0.0);
                    targets.setLabel(t, b, label);
                    targets.setWeight(t, b, 1.0 / (steps * batch));
                }
            }
            return steps;
        }
    }

    @Test
    void batchesOfDifferentLengthsTrainAndAreScoredFrameByFrame() {
        FrameTask task = new FrameTask();
        SpikingNetwork net = new SpikingNetwork(NeuronLayer.fig3().withSizes(2, 6, 6), Readout.fig3(),
                Precision.FLOAT32).initialise(new Rng(1), ReadoutInit.GLOROT_UNIFORM);
        ForwardPass forward = new ForwardPass(Precision.FLOAT32);
        Learner learner = new Learner(net, forward, new FastEprop(forward.dense()), Feedback.symmetric(),
                new Adam(5e-3), null, new CrossEntropy(), RateRegularizer.NONE);
        SupervisedTrainer trainer = new SupervisedTrainer(task, learner, new ForwardPass(forward.dense()),
                new TrainingSettings(3, 12, 4, Double.NaN, 2, 100, 100), 5);
        List<Integer> trained = new ArrayList<>();
        List<Metrics> rows = new ArrayList<>();
        SupervisedTrainer.Summary summary = trainer.run(new SupervisedTrainer.Listener() {
            @Override
            public void iteration(Metrics m, Trajectory tr, RealArray x, Targets targets) {
                trained.add(tr.steps());
                assertEquals(targets.steps(), tr.steps());
                rows.add(m);
            }

            @Override
            public void checkpoint(long iteration) {
            }
        });

        assertEquals("frame_error", summary.metricName());
        assertEquals(12, trained.size());
        assertTrue(trained.stream().distinct().count() > 1, "lengths vary: " + trained);
        // Training batches come from the training split, validation every 4 iterations from the
        // validation split, and the final test from the test split (2 batches).
        List<SupervisedTask.Split> expected = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            expected.add(SupervisedTask.Split.TRAIN);
            if (i % 4 == 0) {
                expected.add(SupervisedTask.Split.VALIDATION);
            }
        }
        expected.add(SupervisedTask.Split.TEST);
        expected.add(SupervisedTask.Split.TEST);
        assertEquals(expected, task.splits);
        for (Metrics m : rows) {
            assertTrue(m.trainError() >= 0 && m.trainError() <= 1, "a frame error is a fraction: " + m);
        }
        assertTrue(summary.testError() >= 0 && summary.testError() <= 1);
    }
}
