package org.eprop.learning.bidir;

import org.eprop.learning.gradient.Feedback;
import org.eprop.learning.gradient.GradientMethod;
import org.eprop.learning.gradient.Loss;
import org.eprop.learning.gradient.RateRegularizer;
import org.eprop.learning.gradient.Targets;
import org.eprop.learning.network.Parameters;
import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.optim.Optimizer;
import org.eprop.learning.tensor.RealArray;

/**
 * One learning iteration of a {@link BidirectionalNetwork} on a padded batch of frame sequences:
 * simulate both halves, evaluate the loss on the frame outputs, compute the gradients
 * ({@link BidirectionalBackward}), add the L2 penalty, and apply the optimiser. With adaptive
 * feedback each half's B receives its W_out's gradient (through its own optimiser) and both are
 * then decayed by {@code 1 - decay}, as in {@link org.eprop.learning.train.Learner}.
 *
 * <p>The loss: {@code E = E_task + E_rate + lambda sum_W W^2}, where the sum runs over the input,
 * recurrent and readout weights of both halves (not the bias), the TIMIT scripts' L2 term; the rate
 * regulariser acts on each half's valid steps.
 */
public final class BidirectionalLearner {
    /** Names of the halves' feedback matrices in {@link #feedbackParameters()}. */
    public static final String FEEDBACK_FORWARD = "fwd.b";
    public static final String FEEDBACK_BACKWARD = "bwd.b";

    private final BidirectionalNetwork net;
    private final BidirectionalPass pass;
    private final BidirectionalBackward backward;
    private final GradientMethod forwardMethod;
    private final GradientMethod backwardMethod;
    private final Feedback forwardFeedback;
    private final Feedback backwardFeedback;
    private final Optimizer optimizer;
    private final Optimizer feedbackOptimizer;
    private final Loss loss;
    private final RateRegularizer regularizer;
    private final double l2;
    private final BidirectionalGradients gradients;
    private RealArray dyWork;
    private final Parameters feedbackParams = new Parameters();
    private final Parameters feedbackGrads = new Parameters();
    private int[] lengths = new int[0];

    /** The losses of one iteration (before the update) and the pass that gave them. */
    public record Step(double taskLoss, double regLoss, BidirectionalPass pass) {
    }

    /**
     * @param forwardMethod the gradient method of the forward half; {@code backwardMethod} a second
     *     instance of the same method for the backward half (methods keep workspaces)
     * @param feedbackOptimizer optimiser for the halves' B under adaptive feedback (both matrices,
     *     one state); ignored otherwise and may be null
     * @param l2 the L2 coefficient lambda, >= 0
     */
    public BidirectionalLearner(BidirectionalNetwork net, BidirectionalPass pass, GradientMethod forwardMethod,
            GradientMethod backwardMethod, Feedback forwardFeedback, Feedback backwardFeedback, Optimizer optimizer,
            Optimizer feedbackOptimizer, Loss loss, RateRegularizer regularizer, double l2) {
        if (forwardFeedback.mode() != backwardFeedback.mode()) {
            throw new IllegalArgumentException("both halves need the same feedback mode, got " + forwardFeedback.mode()
                    + " and " + backwardFeedback.mode());
        }
        if (forwardFeedback.mode() == Feedback.Mode.ADAPTIVE && feedbackOptimizer == null) {
            throw new IllegalArgumentException("adaptive feedback needs an optimiser for B");
        }
        if (!(l2 >= 0) || Double.isInfinite(l2)) {
            throw new IllegalArgumentException("L2 coefficient must be >= 0, got " + l2);
        }
        if (forwardMethod == backwardMethod) {
            throw new IllegalArgumentException("each half needs its own instance of the gradient method");
        }
        this.net = net;
        this.pass = pass;
        this.backward = new BidirectionalBackward(net.precision());
        this.forwardMethod = forwardMethod;
        this.backwardMethod = backwardMethod;
        this.forwardFeedback = forwardFeedback;
        this.backwardFeedback = backwardFeedback;
        this.optimizer = optimizer;
        this.feedbackOptimizer = feedbackOptimizer;
        this.loss = loss;
        this.regularizer = regularizer;
        this.l2 = l2;
        this.gradients = new BidirectionalGradients(net);
        if (forwardFeedback.mode() == Feedback.Mode.ADAPTIVE) {
            feedbackParams.add(FEEDBACK_FORWARD, forwardFeedback.matrix(net.forward()))
                    .add(FEEDBACK_BACKWARD, backwardFeedback.matrix(net.backward()));
            feedbackGrads.add(FEEDBACK_FORWARD, gradients.forward().wOut())
                    .add(FEEDBACK_BACKWARD, gradients.backward().wOut());
        }
    }

    /**
     * Computes the gradients of one batch without changing the weights.
     *
     * @param x frames, time-major {@code [frames x batch x nIn]}
     * @param targets frame targets; their weights mark the valid frames ({@link Targets#lengths})
     */
    public BidirectionalGradients gradients(RealArray x, int frames, int batch, Targets targets) {
        if (lengths.length < batch) {
            lengths = new int[batch];
        }
        targets.lengths(lengths);
        pass.run(net, x, frames, batch, lengths, false);
        int size = frames * batch * net.outputs();
        if (dyWork == null || dyWork.length() < size) {
            dyWork = net.precision().zeros(Math.max(1, size));
        }
        double task = loss.evaluate(pass.outputs(), targets, dyWork);
        backward.compute(net, pass, dyWork, task, regularizer, forwardMethod, backwardMethod, forwardFeedback,
                backwardFeedback, gradients);
        if (l2 > 0) {
            double penalty = 0;
            for (SpikingNetwork half : new SpikingNetwork[] {net.forward(), net.backward()}) {
                var g = half == net.forward() ? gradients.forward() : gradients.backward();
                penalty += addL2(half.wIn(), g.wIn()) + addL2(half.wRec(), g.wRec()) + addL2(half.wOut(), g.wOut());
            }
            gradients.regLoss += l2 * penalty;
        }
        return gradients;
    }

    private double addL2(RealArray w, RealArray g) {
        double sum = 0;
        for (int i = 0; i < w.length(); i++) {
            double wi = w.get(i);
            sum += wi * wi;
            g.add(i, 2 * l2 * wi);
        }
        return sum;
    }

    /** Trains on one batch: {@link #gradients} and an optimiser step. */
    public Step step(RealArray x, int frames, int batch, Targets targets) {
        gradients(x, frames, batch, targets);
        optimizer.step(net.parameters(), gradients.parameters());
        net.clearRecurrentDiagonals();
        if (forwardFeedback.mode() == Feedback.Mode.ADAPTIVE) {
            feedbackOptimizer.step(feedbackParams, feedbackGrads);
            double d = forwardFeedback.decay();
            decay(forwardFeedback.matrix(net.forward()), d);
            decay(backwardFeedback.matrix(net.backward()), d);
            decay(net.forward().wOut(), d);
            decay(net.backward().wOut(), d);
        }
        return new Step(gradients.taskLoss(), gradients.regLoss(), pass);
    }

    private static void decay(RealArray a, double d) {
        for (int i = 0; i < a.length(); i++) {
            a.set(i, a.get(i) * (1 - d));
        }
    }

    public BidirectionalNetwork network() {
        return net;
    }

    public BidirectionalPass pass() {
        return pass;
    }

    /** The task loss on the frame outputs. */
    public Loss loss() {
        return loss;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** The optimiser of the halves' B under adaptive feedback, else null. */
    public Optimizer feedbackOptimizer() {
        return forwardFeedback.mode() == Feedback.Mode.ADAPTIVE ? feedbackOptimizer : null;
    }

    public Feedback forwardFeedback() {
        return forwardFeedback;
    }

    public Feedback backwardFeedback() {
        return backwardFeedback;
    }

    /** Both halves' B under adaptive feedback, else empty. */
    public Parameters feedbackParameters() {
        return feedbackParams;
    }

    /** The gradients of the last batch. */
    public BidirectionalGradients lastGradients() {
        return gradients;
    }
}
