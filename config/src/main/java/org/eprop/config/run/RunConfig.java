package org.eprop.config.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import org.eprop.config.yaml.Checks;
import org.eprop.config.yaml.Validated;
import org.eprop.learning.gradient.Feedback;
import org.eprop.learning.network.ReadoutInit;
import org.eprop.learning.neuron.InputConvention;
import org.eprop.learning.neuron.NeuronLayer;
import org.eprop.learning.neuron.ReadoutConvention;
import org.eprop.learning.tensor.Precision;

/**
 * A run, as written in YAML (snake_case keys). Every key has a default, the reference's Fig. 3
 * setting, except {@code env.id}. See {@link #defaults()} and the README for the full list.
 *
 * @param name run name; the run directory is {@code <output.dir>/<name>-<timestamp>}
 * @param seed seed of everything random in the run
 * @param agent what runs on the environment: {@code supervised} (train) or {@code diagnostic}
 *     (gradient checks); empty: chosen from the environment
 * @param plugins extra plugin classes to load, beyond those found through ServiceLoader
 */
public record RunConfig(String name, Long seed, String agent, List<String> plugins, Env env, Network network,
        Learning learning, Training training, Output output) implements Validated {

    /** The environment: a registered id and its parameters (defaults: the task's reference values). */
    public record Env(String id, JsonNode params) {
    }

    /** The recurrent layer, in physical units (ms), and its readout. */
    public record Network(Precision precision, Integer lif, Integer alif, Double dt, Double tauM, Double tauA,
            Double vTh, Double beta, Double refractory, Double gamma, InputConvention input, ReadoutSpec readout)
            implements Validated {
        @Override
        public void validate(Checks c) {
            c.atLeast("lif", lif, 0);
            c.atLeast("alif", alif, 0);
            c.check(lif + alif > 0, "alif", alif, "at least one neuron in lif + alif");
            c.positive("dt", dt, "ms");
            c.positive("tau_m", tauM, "ms");
            c.positive("tau_a", tauA, "ms");
            c.positive("v_th", vTh);
            c.nonNegative("beta", beta);
            c.nonNegative("refractory", refractory);
            c.check(Math.abs(refractory / dt - Math.rint(refractory / dt)) < 1e-9, "refractory", refractory,
                    "a whole number of time steps (dt = " + dt + " ms)");
            c.nonNegative("gamma", gamma);
        }
    }

    /** The leaky readout. */
    public record ReadoutSpec(Double tauOut, ReadoutConvention convention, Boolean bias, ReadoutInit init)
            implements Validated {
        @Override
        public void validate(Checks c) {
            c.positive("tau_out", tauOut, "ms");
        }
    }

    /** Learning rule, learning signal, optimiser and regularisation. */
    public record Learning(String rule, Feedback.Mode feedback, Boolean feedbackScaled, Double adaptiveDecay,
            Optimizer optimizer, RateRegularization rateRegularization) implements Validated {
        @Override
        public void validate(Checks c) {
            c.range("adaptive_decay", adaptiveDecay, 0, 0.999999);
        }
    }

    /** The optimiser: {@code adam} or {@code sgd}. */
    public record Optimizer(String id, Double learningRate, Double beta1, Double beta2, Double epsilon)
            implements Validated {
        @Override
        public void validate(Checks c) {
            c.check(id.equals("adam") || id.equals("sgd"), "id", id, "one of: adam, sgd");
            c.positive("learning_rate", learningRate);
            c.range("beta1", beta1, 0, 0.999999);
            c.range("beta2", beta2, 0, 0.999999);
            c.positive("epsilon", epsilon);
        }
    }

    /** Firing-rate regularisation {@code strength * sum_j (f_j - target)^2}. */
    public record RateRegularization(Double strength, Double targetHz) implements Validated {
        @Override
        public void validate(Checks c) {
            c.nonNegative("strength", strength);
            c.nonNegative("target_hz", targetHz);
        }
    }

    /** The training loop (see {@code SupervisedTrainer}). */
    public record Training(Integer batch, Integer maxIterations, Integer evalEvery, Boolean earlyStopping,
            Double stopBelow, Integer evalBatches, Integer checkpointEvery, Integer plotEvery) implements Validated {
        @Override
        public void validate(Checks c) {
            c.atLeast("batch", batch, 1);
            c.atLeast("max_iterations", maxIterations, 1);
            c.atLeast("eval_every", evalEvery, 1);
            c.positive("stop_below", stopBelow);
            c.atLeast("eval_batches", evalBatches, 1);
            c.atLeast("checkpoint_every", checkpointEvery, 1);
            c.atLeast("plot_every", plotEvery, 1);
        }
    }

    /** Where run directories go. */
    public record Output(String dir) {
    }

    @Override
    public void validate(Checks c) {
        c.check(name != null && name.matches("[A-Za-z0-9._-]+"), "name", name,
                "letters, digits, '.', '_' or '-' (it names the run directory)");
        c.check(env.id() != null && !env.id().isBlank(), "env.id", env.id(), "a registered environment id");
    }

    /** Every default: the reference Fig. 3 evidence-accumulation run with random e-prop. */
    public static RunConfig defaults() {
        NeuronLayer fig3 = NeuronLayer.fig3();
        return new RunConfig("run", 1L, "", List.of(),
                new Env(null, JsonNodeFactory.instance.objectNode()),
                new Network(Precision.FLOAT32, fig3.nLif(), fig3.nAlif(), fig3.dt(), fig3.tauM(), fig3.tauA(),
                        fig3.vTh(), fig3.beta(), fig3.tRef(), fig3.gamma(), InputConvention.CURRENT,
                        new ReadoutSpec(20.0, ReadoutConvention.NORMALISED, false, ReadoutInit.GLOROT_UNIFORM)),
                new Learning("eprop", Feedback.Mode.RANDOM, false, 0.01,
                        new Optimizer("adam", 5e-3, 0.9, 0.999, 1e-8), new RateRegularization(1.0, 10.0)),
                new Training(64, 2000, 10, true, 0.07, 8, 50, 100),
                new Output("runs"));
    }
}
