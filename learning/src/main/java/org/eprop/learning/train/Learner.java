package org.eprop.learning.train;

import org.eprop.learning.gradient.BackwardInput;
import org.eprop.learning.gradient.Feedback;
import org.eprop.learning.gradient.GradientMethod;
import org.eprop.learning.gradient.Gradients;
import org.eprop.learning.gradient.Loss;
import org.eprop.learning.gradient.RateRegularizer;
import org.eprop.learning.gradient.Targets;
import org.eprop.learning.network.ForwardPass;
import org.eprop.learning.network.Parameters;
import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.network.Trajectory;
import org.eprop.learning.optim.Optimizer;
import org.eprop.learning.tensor.RealArray;

/**
 * One learning iteration on a batch, in the order of the paper's algorithm: simulate the network,
 * evaluate the loss, compute the gradients with the chosen method and learning signal, apply the
 * optimiser. With adaptive feedback, B receives W_out's gradient (through its own optimiser) and
 * both are then decayed by {@code 1 - decay}.
 */
public final class Learner {
    private final SpikingNetwork net;
    private final GradientMethod method;
    private final Feedback feedback;
    private final Optimizer optimizer;
    private final Optimizer feedbackOptimizer;
    private final Loss loss;
    private final RateRegularizer regularizer;
    private final ForwardPass forward;
    private final BackwardInput backward;
    private final Gradients gradients;
    private final Parameters params;
    private final Parameters grads;
    private final Parameters feedbackParams;
    private final Parameters feedbackGrads;

    /**
     * Result of one iteration: the losses before the update, the forward pass that gave them, and
     * the wall time of the forward pass and of everything after it (losses, gradient, update), for
     * benchmarks.
     */
    public record Step(double taskLoss, double regLoss, Trajectory trajectory, long forwardNanos, long backwardNanos) {
    }

    /**
     * @param feedbackOptimizer optimiser for B under adaptive feedback (same kind as
     *     {@code optimizer}, separate state); ignored otherwise and may be null
     */
    public Learner(SpikingNetwork net, ForwardPass forward, GradientMethod method, Feedback feedback,
            Optimizer optimizer, Optimizer feedbackOptimizer, Loss loss, RateRegularizer regularizer) {
        if (feedback.mode() == Feedback.Mode.ADAPTIVE && feedbackOptimizer == null) {
            throw new IllegalArgumentException("adaptive feedback needs an optimiser for B");
        }
        this.net = net;
        this.forward = forward;
        this.method = method;
        this.feedback = feedback;
        this.optimizer = optimizer;
        this.feedbackOptimizer = feedbackOptimizer;
        this.loss = loss;
        this.regularizer = regularizer;
        this.backward = new BackwardInput(net.precision());
        this.gradients = new Gradients(net);
        this.params = net.parameters();
        this.grads = gradients.parameters();
        // B learns from W_out's gradient (Kolen-Pollack): the pairing is by name like every other.
        if (feedback.mode() == Feedback.Mode.ADAPTIVE) {
            this.feedbackParams = new Parameters().add(FEEDBACK_B, feedback.matrix(net));
            this.feedbackGrads = new Parameters().add(FEEDBACK_B, gradients.wOut());
        } else {
            this.feedbackParams = new Parameters();
            this.feedbackGrads = new Parameters();
        }
    }

    /**
     * Trains on one batch.
     *
     * @param x inputs, time-major {@code [steps*batch x nIn]}
     */
    public Step step(RealArray x, int steps, int batch, Targets targets) {
        long t0 = System.nanoTime();
        Trajectory tr = forward.run(net, x, steps, batch, false);
        long t1 = System.nanoTime();
        backward.evaluate(tr, loss, targets, regularizer);
        method.compute(net, tr, backward, feedback, gradients);
        optimizer.step(params, grads);
        net.clearRecurrentDiagonal();
        if (feedback.mode() == Feedback.Mode.ADAPTIVE) {
            RealArray b = feedback.matrix(net);
            feedbackOptimizer.step(feedbackParams, feedbackGrads);
            decay(b, feedback.decay());
            decay(net.wOut(), feedback.decay());
        }
        return new Step(backward.taskLoss(), backward.regLoss(), tr, t1 - t0, System.nanoTime() - t1);
    }

    private static void decay(RealArray a, double d) {
        for (int i = 0; i < a.length(); i++) {
            a.set(i, a.get(i) * (1 - d));
        }
    }

    /** The gradients of the last step. */
    public Gradients gradients() {
        return gradients;
    }

    public SpikingNetwork network() {
        return net;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** The optimiser of B under adaptive feedback, else null. */
    public Optimizer feedbackOptimizer() {
        return feedback.mode() == Feedback.Mode.ADAPTIVE ? feedbackOptimizer : null;
    }

    public Feedback feedback() {
        return feedback;
    }

    /** Name of B in {@link #feedbackParameters()}. */
    public static final String FEEDBACK_B = "b";

    /** The trained arrays by name, in the order the optimiser sees them (the network's list). */
    public Parameters parameters() {
        return params;
    }

    /** B under adaptive feedback (named {@link #FEEDBACK_B}), else an empty list. */
    public Parameters feedbackParameters() {
        return feedbackParams;
    }
}
