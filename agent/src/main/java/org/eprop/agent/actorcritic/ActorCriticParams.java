package org.eprop.agent.actorcritic;

import org.eprop.envs.params.Checks;
import org.eprop.envs.params.Validated;

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
 */
public record ActorCriticParams(Integer envs, Integer unroll, Integer stepsPerAction, Double discount,
        Double baselineCost, Double entropyCost, Double rateCost, Double rateTarget, Double voltageCost,
        Boolean doneInput,
        Boolean applyAfterEnd, Long maxFrames, Curriculum curriculum) implements Validated {

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

    /** The original Atari agent's settings. */
    public static ActorCriticParams reference() {
        return new ActorCriticParams(32, 100, 5, 0.99, 1.0, 0.0025, 50.0, 0.02, 1e-4, true, true, 1_000_000_000L,
                new Curriculum(true, 200, 25, 70_000_000L));
    }
}
