package org.eprop.agent.actorcritic;

import org.eprop.envs.api.FrameSpace;
import org.eprop.envs.params.Checks;
import org.eprop.envs.params.Validated;
import org.eprop.learning.conv.CnnTraining;
import org.eprop.learning.conv.SpikingCnnConfig;

/**
 * The spiking actor-critic's own parameters ({@code agent.params}); the recurrent network (LSNN)
 * and its readout are the run's {@code network} section, the learning rule, feedback and optimiser
 * its {@code learning} section. Defaults are the original Atari agent's flags
 * ({@code Figure_4_and_5_ATARI/main.py}; docs/model.md §3).
 *
 * @param envs parallel environments, one batch row each ({@code parallel_episodes})
 * @param unroll agent steps per unroll, run with the same weights ({@code unroll_length})
 * @param stepsPerAction network steps per agent step; the observation is held over them and the
 *     heads are read at the last ({@code n_rnn_step_factor})
 * @param discount gamma per agent step ({@code discounting})
 * @param baselineCost weight of the value loss ({@code baseline_cost})
 * @param entropyCost weight of the entropy bonus ({@code entropy_cost})
 * @param rateCost weight of the LSNN firing-rate regulariser ({@code rate_cost})
 * @param rateTarget its target, spikes per network step (0.02 in the original)
 * @param voltageCost weight of the LSNN voltage regulariser, which keeps membrane potentials
 *     within the adaptive threshold's range ({@code voltage_cost_rnn})
 * @param doneInput whether an extra input channel carries the episode-start flag (the original's
 *     {@code WithReset} input)
 * @param applyAfterEnd sum the unrolls' gradients until every environment has finished an episode,
 *     then take one optimiser step and reset all environments ({@code apply_after_end}); otherwise
 *     one step per unroll
 * @param maxFrames stop after this many emulator frames (frames of idle environments count, as in
 *     the original); {@code training.max_iterations} bounds the optimiser steps as well
 * @param curriculum the episode-length cap
 * @param cnn the spiking CNN front end, for games whose observations are screens
 * @param traces what the e-prop gradient carries across unroll boundaries: {@code carried} (the
 *     default; the exact gradient of the long run) or {@code truncated} (the original's learner)
 */
public record ActorCriticParams(Integer envs, Integer unroll, Integer stepsPerAction, Double discount,
        Double baselineCost, Double entropyCost, Double rateCost, Double rateTarget, Double voltageCost,
        Boolean doneInput,
        Boolean applyAfterEnd, Long maxFrames, Curriculum curriculum, Cnn cnn, Traces traces) implements Validated {

    /**
     * What the unroll-wise rules ({@code eprop}, {@code eprop-autodiff}) differentiate through at an
     * unroll boundary, where the learner starts from the state the actors carried over (docs/model.md
     * §3.2). Full BPTT is truncated either way (its carried state is always a constant); the online
     * rule ({@code eprop-online}) has no unroll-wise gradient to truncate and takes {@code carried} only.
     */
    public enum Traces {
        /**
         * The eligibility traces (the LSNN's eps_v, eps_a and ebar, the CNN's presynaptic traces in
         * e-prop training) and the readout filter's carried value run on across the boundary: the
         * gradient of two unrolls is that of the one long unroll, to rounding, as the online rule's
         * is. Needed where credit spans unrolls (the cue task's 1,050 ms delay in unrolls of 250 ms).
         */
        CARRIED,
        /**
         * The carried state is a constant: traces start from zero at every unroll and the readout
         * filter's carried value holds no derivative, as in the original Atari learner, which
         * re-simulates each unroll from the stored state with gradients (traces "truncated at unroll
         * boundaries"). Cheaper: nothing is carried out at the unroll's end.
         */
        TRUNCATED
    }

    /**
     * The spiking CNN that reads screens (games with frame observations; docs/model.md §3.3): its
     * layers are the original's (conv1 16@8x8 stride 4, conv2 8@4x4 stride 1, LIF units with tau
     * one step and threshold 0.1, pooled shortcuts to the heads).
     *
     * @param training {@code reference} (the original code: the CNN learns from its voltage
     *     regulariser and from the task only through its pooled shortcuts, scaled by
     *     1/reg_factor) or {@code eprop} (the Fig. 4 caption: the learning signal reaches the CNN
     *     through feedback weights)
     * @param voltageCost weight of the CNN's voltage regulariser ({@code voltage_cost_cnn})
     * @param regFactor the task gradient's divisor in {@code reference} training ({@code reg_factor_cnn})
     */
    public record Cnn(CnnTraining training, Double voltageCost, Double regFactor) implements Validated {
        @Override
        public void validate(Checks c) {
            c.nonNegative("voltage_cost", voltageCost);
            c.positive("reg_factor", regFactor);
        }

        /** The CNN for screens of {@code screen}'s shape, held for {@code steps} network steps. */
        public SpikingCnnConfig config(FrameSpace screen, int steps) {
            SpikingCnnConfig r = SpikingCnnConfig.reference();
            return new SpikingCnnConfig(screen.height(), screen.width(), screen.channels(), r.filters1(), r.kernel1(),
                    r.stride1(), r.filters2(), r.kernel2(), r.stride2(), r.pool1Kernel(), r.pool1Stride(),
                    r.pool2Kernel(), r.pool2Stride(), r.neuron(), steps, voltageCost, regFactor);
        }
    }

    /**
     * The episode-length cap in agent steps: {@code max_episode_len} with a uniform jitter per
     * iteration, grown as {@code (cap^(1/3) + 1)^3} every {@code growEveryFrames}. Hitting the cap
     * ends the episode without bootstrap, as in the original.
     */
    public record Curriculum(Boolean enabled, Integer maxEpisodeLength, Integer jitter, Long growEveryFrames)
            implements Validated {
        @Override
        public void validate(Checks c) {
            c.atLeast("max_episode_length", maxEpisodeLength, 1);
            c.nonNegative("jitter", (long) jitter);
            c.check(jitter < maxEpisodeLength, "jitter", jitter, "less than max_episode_length (" + maxEpisodeLength
                    + ")");
            c.atLeast("grow_every_frames", growEveryFrames, 1);
        }
    }

    @Override
    public void validate(Checks c) {
        c.atLeast("envs", envs, 1);
        c.atLeast("unroll", unroll, 1);
        c.atLeast("steps_per_action", stepsPerAction, 1);
        c.range("discount", discount, 0, 1);
        c.nonNegative("baseline_cost", baselineCost);
        c.nonNegative("entropy_cost", entropyCost);
        c.nonNegative("rate_cost", rateCost);
        c.range("rate_target", rateTarget, 0, 1);
        c.nonNegative("voltage_cost", voltageCost);
        c.atLeast("max_frames", maxFrames, 1);
    }

    /**
     * The original Atari agent's settings, but for {@code traces}: carried, the exact gradient across
     * unrolls that the product's other tasks need; the Atari configs set {@code truncated}, the original's.
     */
    public static ActorCriticParams reference() {
        return new ActorCriticParams(32, 100, 5, 0.99, 1.0, 0.0025, 50.0, 0.02, 1e-4, true, true, 1_000_000_000L,
                new Curriculum(true, 200, 25, 70_000_000L), new Cnn(CnnTraining.REFERENCE, 0.5, 1e8), Traces.CARRIED);
    }
}
