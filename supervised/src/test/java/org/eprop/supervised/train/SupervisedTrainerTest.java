package org.eprop.supervised.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.eprop.envs.cue.EvidenceAccumulation;
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
import org.eprop.envs.supervised.SupervisedTask;
import org.junit.jupiter.api.Test;

class SupervisedTrainerTest {
    private static final EvidenceAccumulation TASK = new EvidenceAccumulation(
            new EvidenceAccumulation.Timing(3, 20, 40, 60, 100, 40, 40, 10, 0.7, 5, 1.0));

    private static SupervisedTrainer trainer(double stopBelow, int maxIterations) {
        SpikingNetwork net = new SpikingNetwork(NeuronLayer.fig3().withSizes(TASK.inputs(), 8, 8), Readout.fig3(),
                Precision.FLOAT32).initialise(new Rng(1), ReadoutInit.GLOROT_UNIFORM);
        ForwardPass forward = new ForwardPass(Precision.FLOAT32);
        Learner learner = new Learner(net, forward, new FastEprop(forward.dense()), Feedback.random(net, new Rng(2), false),
                new Adam(5e-3), null, new CrossEntropy(), new RateRegularizer(1, 0.01));
        return new SupervisedTrainer(TASK, learner, new ForwardPass(forward.dense()),
                new TrainingSettings(4, maxIterations, 5, stopBelow, 3, 4, 100), 9);
    }

    private record Recorded(List<Metrics> rows, List<Long> checkpoints) implements SupervisedTrainer.Listener {
        Recorded() {
            this(new ArrayList<>(), new ArrayList<>());
        }

        @Override
        public void iteration(Metrics metrics, Trajectory trajectory, RealArray x, Targets targets) {
            rows.add(metrics);
        }

        @Override
        public void checkpoint(long iteration) {
            checkpoints.add(iteration);
        }
    }

    @Test
    void validatesEveryEvalEveryAndStopsOnceTheFreshBatchesConfirm() {
        // Any error is below 1.01: the first validation triggers the check, which confirms.
        Recorded r = new Recorded();
        SupervisedTrainer.Summary s = trainer(1.01, 50).run(r);
        assertTrue(s.stoppedEarly());
        assertEquals(5, s.iterations(), "stops at the first validation");
        assertEquals(5, r.rows().size());
        for (int i = 0; i < 4; i++) {
            assertTrue(Double.isNaN(r.rows().get(i).validationError()), "no validation before iteration 5");
        }
        assertFalse(Double.isNaN(r.rows().get(4).validationError()));
        assertEquals(s.testError(), r.rows().get(4).testError());
        assertEquals(List.of(4L, 5L), r.checkpoints(), "every checkpoint_every and at the end");
    }

    @Test
    void withoutEarlyStoppingRunsTheWholeBudgetAndTestsAtTheEnd() {
        Recorded r = new Recorded();
        SupervisedTrainer.Summary s = trainer(Double.NaN, 12).run(r);
        assertFalse(s.stoppedEarly());
        assertEquals(12, s.iterations());
        assertEquals(12, r.rows().size());
        assertFalse(Double.isNaN(r.rows().get(11).testError()));
        assertTrue(Double.isNaN(r.rows().get(10).testError()));
        assertEquals(List.of(4L, 8L, 12L), r.checkpoints());
    }

    @Test
    void stateRoundTripContinuesTheSameRandomStreams() {
        SupervisedTrainer a = trainer(Double.NaN, 3);
        a.run(new Recorded());
        var state = a.state();
        SupervisedTrainer b = trainer(Double.NaN, 3);
        b.restore(state);
        assertEquals(3, b.iteration());
        state.forEach((k, v) -> org.junit.jupiter.api.Assertions.assertArrayEquals(v, b.state().get(k), k));
        a.evaluate(SupervisedTask.Split.TEST, 1);
        b.evaluate(SupervisedTask.Split.TEST, 1);
        org.junit.jupiter.api.Assertions.assertArrayEquals(a.state().get("trainer.rng.eval"),
                b.state().get("trainer.rng.eval"), "the restored evaluation stream advances like the original");
    }
}
