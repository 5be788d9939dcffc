/**
 * Evaluating a trained agent: {@link org.eprop.agent.eval.Policy} (what an evaluation asks of an
 * agent), the actor-critic's and the random policy, {@link org.eprop.agent.eval.Evaluation}
 * (full-episode rollouts on shared seeds, {@code episodes.csv}, {@code summary.json} with the
 * statistics of {@link org.eprop.agent.eval.Statistics}) and the gameplay video of
 * {@link org.eprop.agent.eval.GameplayRenderer}.
 */
package org.eprop.agent.eval;
