package org.eprop.learning.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.eprop.learning.gradient.Feedback;
import org.eprop.learning.network.Parameters;
import org.eprop.learning.tensor.RealArray;

/**
 * The learnable state of a {@link Learner} as named double arrays, for checkpoints: weights,
 * feedback matrix, optimiser moments and step counts. Float32 values are exact in double, so a
 * save and restore round trip is lossless in either precision.
 *
 * <p>Names: {@code net.<name>} for every entry of the learner's parameter list
 * ({@code net.w_in}, {@code net.w_rec}, {@code net.w_out}, {@code net.b_out}), {@code feedback.b},
 * {@code optimizer.*} and {@code feedback_optimizer.*}. A layer that joins the parameter list is
 * saved and restored without a change here.
 */
public final class LearnerState {
    private static final String NET = "net.";

    private LearnerState() {
    }

    public static Map<String, double[]> save(Learner learner) {
        Map<String, double[]> s = new LinkedHashMap<>();
        var net = learner.network();
        for (Parameters.Entry e : learner.parameters().entries()) {
            s.put(NET + e.name(), e.array().toDoubleArray());
        }
        if (learner.feedback().mode() != Feedback.Mode.SYMMETRIC) {
            s.put("feedback.b", learner.feedback().matrix(net).toDoubleArray());
        }
        learner.optimizer().state().forEach((k, v) -> s.put("optimizer." + k, v));
        if (learner.feedbackOptimizer() != null) {
            learner.feedbackOptimizer().state().forEach((k, v) -> s.put("feedback_optimizer." + k, v));
        }
        return s;
    }

    public static void restore(Learner learner, Map<String, double[]> s) {
        var net = learner.network();
        for (Parameters.Entry e : learner.parameters().entries()) {
            copy(s, NET + e.name(), e.array());
        }
        if (learner.feedback().mode() != Feedback.Mode.SYMMETRIC) {
            copy(s, "feedback.b", learner.feedback().matrix(net));
        }
        learner.optimizer().restore(prefixed(s, "optimizer."), learner.parameters());
        if (learner.feedbackOptimizer() != null) {
            learner.feedbackOptimizer().restore(prefixed(s, "feedback_optimizer."), learner.feedbackParameters());
        }
    }

    /** The entries whose names start with {@code prefix}, with the prefix removed. */
    public static Map<String, double[]> prefixed(Map<String, double[]> s, String prefix) {
        Map<String, double[]> out = new LinkedHashMap<>();
        s.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    private static void copy(Map<String, double[]> s, String name, RealArray target) {
        double[] v = s.get(name);
        if (v == null) {
            throw new IllegalArgumentException("checkpoint has no '" + name + "'; it has " + s.keySet());
        }
        if (v.length != target.length()) {
            throw new IllegalArgumentException("checkpoint '" + name + "' has " + v.length + " values, the network "
                    + target.length() + ": was it written by a run with another network size?");
        }
        for (int i = 0; i < v.length; i++) {
            target.set(i, v[i]);
        }
    }
}
