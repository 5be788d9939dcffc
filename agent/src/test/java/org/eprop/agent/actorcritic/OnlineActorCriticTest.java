package org.eprop.agent.actorcritic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eprop.learning.conv.CnnTraining;
import org.eprop.learning.gradient.BackwardInput;
import org.eprop.learning.gradient.Feedback;
import org.eprop.learning.gradient.Gradients;
import org.eprop.learning.gradient.OnlineEprop;
import org.eprop.learning.gradient.RateRegularizer;
import org.eprop.learning.gradient.Targets;
import org.eprop.learning.gradient.VoltageRegularizer;
import org.eprop.learning.network.ForwardPass;
import org.eprop.learning.network.NetworkState;
import org.eprop.learning.network.ReadoutInit;
import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.network.Trajectory;
import org.eprop.learning.neuron.InputConvention;
import org.eprop.learning.neuron.NeuronLayer;
import org.eprop.learning.neuron.Readout;
import org.eprop.learning.neuron.ReadoutConvention;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The online learner against the advantage actor-critic it is the backward view of: with the
 * weights held fixed, the online rule's updates summed over an unroll (TD errors times reward
 * eligibilities, started fresh at the unroll) equal the e-prop gradient of the unroll's n-step
 * actor-critic loss ({@link ActorCriticLoss}, bootstrapped with the value after the unroll), episode
 * ends inside the unroll included: the identity {@code A(u) = sum_{u' >= u} gamma^(u'-u) delta(u')}.
 */
class OnlineActorCriticTest {
    static final int U = 9;
    static final int S = 3;
    static final int B = 3;
    static final int N_IN = 4;
    static final int ACTIONS = 3;

    @ParameterizedTest
    @EnumSource(value = Feedback.Mode.class, names = {"SYMMETRIC", "RANDOM"})
    void summedOverAnUnrollItIsTheActorCriticGradient(Feedback.Mode mode) {
        Precision precision = Precision.FLOAT64;
        Rng rng = new Rng(7);
        NeuronLayer layer = new NeuronLayer(N_IN, 4, 3, 1.0, 15.0, 70.0, 0.6, 0.2, 2.0, 0.3, InputConvention.CURRENT);
        Readout readout = new Readout(ACTIONS + 1, 2.0, ReadoutConvention.NORMALISED, true);
        SpikingNetwork net = new SpikingNetwork(layer, readout, precision).initialise(rng, ReadoutInit.NORMAL);
        Feedback feedback = mode == Feedback.Mode.SYMMETRIC ? Feedback.symmetric() : Feedback.random(net, rng, false);
        double gamma = 0.9;
        double baselineCost = 0.5;
        ActorCriticParams p = new ActorCriticParams(B, U, S, gamma, baselineCost, 0.0, 0.0, 0.02, 0.0, false, false,
                1_000_000L, new ActorCriticParams.Curriculum(false, 200, 0, 1L),
                new ActorCriticParams.Cnn(CnnTraining.REFERENCE, 0.5, 1e8), ActorCriticParams.Traces.CARRIED);
        int nOut = ACTIONS + 1;

        // the episode record: done[u][b] ends row b's episode with the transition of step u
        boolean[] done = new boolean[U * B];
        done[2 * B] = true;
        done[6 * B] = true;
        done[4 * B + 1] = true;
        done[(U - 1) * B + 2] = true;
        double[] rewards = new double[U * B];
        int[] chosen = new int[U * B];
        for (int i = 0; i < U * B; i++) {
            rewards[i] = rng.bernoulli(0.4) ? rng.uniform(-1, 1) : 0.0;
            chosen[i] = rng.nextInt(ACTIONS);
        }
        RealArray xAll = precision.zeros((U + 1) * S * B * N_IN);
        for (int i = 0; i < xAll.length(); i++) {
            xAll.set(i, rng.bernoulli(0.4) ? rng.uniform(0, 2) : 0.0);
        }
        boolean[] resetsAll = new boolean[(U + 1) * S * B];
        for (int u = 1; u <= U; u++) {
            for (int b = 0; b < B; b++) {
                resetsAll[u * S * B + b] = done[(u - 1) * B + b];
            }
        }

        // ---- online: U + 1 agent steps (the last one reads V(U) for the last TD error) ----
        OnlineActorCritic online = new OnlineActorCritic(net, B, ACTIONS, S, p, feedback);
        online.forcedReset();
        ForwardPass pass = new ForwardPass(precision);
        NetworkState state = NetworkState.zeros(net, B);
        Gradients g = new Gradients(net);
        double[][] summed = {new double[net.wIn().length()], new double[net.wRec().length()],
            new double[net.wOut().length()], new double[net.bOut().length()]};
        double[] logits = new double[(U + 1) * B * ACTIONS];
        double[] values = new double[(U + 1) * B];
        int[] actions = new int[(U + 1) * B];
        System.arraycopy(chosen, 0, actions, 0, U * B);
        boolean[] counted = {true, true, true};
        for (int u = 0; u <= U; u++) {
            RealArray x = precision.zeros(S * B * N_IN);
            for (int i = 0; i < x.length(); i++) {
                x.set(i, xAll.get(u * S * B * N_IN + i));
            }
            boolean[] resets = java.util.Arrays.copyOfRange(resetsAll, u * S * B, (u + 1) * S * B);
            Trajectory tr = pass.run(net, x, S, B, false, state, resets, NetworkState.Scope.NEURONS);
            for (int b = 0; b < B; b++) {
                int row = ((S - 1) * B + b) * nOut;
                for (int k = 0; k < ACTIONS; k++) {
                    logits[(u * B + b) * ACTIONS + k] = tr.outputs().get(row + k);
                }
                values[u * B + b] = tr.outputs().get(row + ACTIONS);
            }
            online.learn(tr, logits, u * B * ACTIONS, values, u * B, actions, u * B, counted, null, g);
            if (u > 0) {
                add(summed[0], g.wIn());
                add(summed[1], g.wRec());
                add(summed[2], g.wOut());
                add(summed[3], g.bOut());
            }
            if (u < U) {
                for (int b = 0; b < B; b++) {
                    online.transition(b, rewards[u * B + b], done[u * B + b]);
                }
            }
        }

        // ---- the actor-critic loss of the unroll, differentiated by e-prop (per-step traces) ----
        ActorCriticLoss loss = new ActorCriticLoss(new ActorCriticLoss.Settings(gamma, baselineCost, 0.0), U, B,
                ACTIONS);
        ActorCriticTrainer.UnrollLoss unrollLoss = new ActorCriticTrainer.UnrollLoss(U, S, B, ACTIONS);
        double[] bootstrap = new double[B];
        System.arraycopy(values, U * B, bootstrap, 0, B);
        double[] mask = new double[U * B];
        java.util.Arrays.fill(mask, 1.0);
        loss.compute(java.util.Arrays.copyOf(logits, U * B * ACTIONS), java.util.Arrays.copyOf(values, U * B), chosen,
                rewards, done, bootstrap, mask, unrollLoss.dLogits, unrollLoss.dValues);
        RealArray xUnroll = precision.zeros(U * S * B * N_IN);
        for (int i = 0; i < xUnroll.length(); i++) {
            xUnroll.set(i, xAll.get(i));
        }
        Trajectory whole = new ForwardPass(precision).run(net, xUnroll, U * S, B, false, NetworkState.zeros(net, B),
                java.util.Arrays.copyOf(resetsAll, U * S * B), NetworkState.Scope.NEURONS);
        for (int u = 0; u < U; u++) {
            for (int b = 0; b < B; b++) {
                assertEquals(values[u * B + b], whole.outputs().get((((u * S) + S - 1) * B + b) * nOut + ACTIONS), 1e-12,
                        "one run and the agent steps are the same forward pass");
            }
        }
        BackwardInput in = new BackwardInput(precision).evaluate(whole, unrollLoss,
                new Targets().resize(U * S, B, nOut), RateRegularizer.NONE, VoltageRegularizer.NONE, net);
        Gradients reference = new Gradients(net);
        new OnlineEprop(precision).compute(net, whole, in, feedback, reference, null);

        double worst = 0;
        double scale = 0;
        RealArray[] ref = {reference.wIn(), reference.wRec(), reference.wOut(), reference.bOut()};
        for (int a = 0; a < ref.length; a++) {
            for (int i = 0; i < ref[a].length(); i++) {
                worst = Math.max(worst, Math.abs(summed[a][i] - ref[a].get(i)));
                scale = Math.max(scale, Math.abs(ref[a].get(i)));
            }
        }
        assertTrue(scale > 1e-2, "the gradient must not vanish: " + scale);
        assertEquals(0.0, worst / scale, 1e-12, "max |online - actor-critic| / max |actor-critic| = " + worst / scale);
    }

    private static void add(double[] into, RealArray g) {
        for (int i = 0; i < into.length; i++) {
            into[i] += g.get(i);
        }
    }
}
