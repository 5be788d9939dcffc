/**
 * The reward-based side of e-prop on Atari (Figs. 4 and 5 of Bellec et al. 2020): the advantage
 * actor-critic loss and its exact output derivatives, the gradient masks of the two
 * gradient-application modes, the episode-length curriculum and the action sampler.
 *
 * <p>What the original code does (repository IGITUGraz/eligibility_propagation,
 * {@code Figure_4_and_5_ATARI/main.py}, {@code rl_tools.py}, {@code spiking_agent.py}; this
 * repository's docs/model.md §3.2): not an explicit online TD rule, but an IMPALA/A2C-style
 * advantage actor-critic loss over unrolls of agent steps, differentiated through the e-prop
 * ("stop-gradient") network. The classes here compute that loss and the derivatives
 * {@code dE/dy} of the policy logits and the value, which is all the e-prop machinery needs from
 * the task: it turns them into learning signals through the readout weights.
 *
 * <p>Array conventions shared by every class of this package: arrays are time-major and flat. A
 * per-step quantity of agent step {@code t} and environment {@code b} is at {@code t * batch + b};
 * a per-action one (policy logits, their derivatives) at {@code (t * batch + b) * nActions + k}.
 * Nothing allocates after construction: workspaces are sized for one unroll and reused.
 */
package org.eprop.agent.actorcritic;
