/**
 * Composable wrappers over {@link org.eprop.envs.api.Env}: the Atari preprocessing of DQN,
 * Gymnasium, SB3 and the e-prop paper, plus episode statistics and video.
 *
 * <p>Each wrapper changes one aspect, and the order of the stack decides what every number
 * means. Innermost (on the game) first:
 * <ol>
 *   <li>{@link org.eprop.envs.wrappers.RecordVideo}: on the game itself, so videos show the raw
 *       RGB screen and whole games, whatever the agent sees;</li>
 *   <li>{@link org.eprop.envs.wrappers.TimeLimit} (or the game's own frame limit);</li>
 *   <li>{@link org.eprop.envs.wrappers.MaxAndSkip}, only on a game that does not skip frames
 *       itself (it refuses to skip twice, see {@link org.eprop.envs.api.FrameSkipping});</li>
 *   <li>{@link org.eprop.envs.wrappers.EpisodeStatistics}: below everything that acts inside
 *       {@code reset} or redefines episodes, so returns are raw, unclipped, full-game scores;</li>
 *   <li>{@link org.eprop.envs.wrappers.NoopReset}, {@link org.eprop.envs.wrappers.EpisodicLife},
 *       {@link org.eprop.envs.wrappers.FireReset}, then {@link org.eprop.envs.wrappers.ActionSubset}
 *       if the agent plays a reduced action set (the layers below act in the game's numbering);</li>
 *   <li>{@link org.eprop.envs.wrappers.ClipReward}: above the skip, so it clips summed rewards;
 *       it keeps the raw reward in the info;</li>
 *   <li>{@link org.eprop.envs.wrappers.GrayscaleResize}, then
 *       {@link org.eprop.envs.wrappers.FrameStack}: what the agent sees.</li>
 * </ol>
 * {@link org.eprop.envs.wrappers.AtariWrappers} builds the two standard stacks in this order;
 * {@link org.eprop.envs.wrappers.Wrappers#describe} prints a stack for the run directory.
 *
 * <p>Each wrapper extends one of the bases of {@code org.eprop.envs.api}, Gymnasium's:
 * {@link org.eprop.envs.api.Wrapper} (everything passes through), or
 * {@link org.eprop.envs.api.ObservationWrapper}, {@link org.eprop.envs.api.RewardWrapper},
 * {@link org.eprop.envs.api.ActionWrapper}, and overrides only what it changes.
 *
 * <p>Frames returned by a wrapper are valid until the next call on it: wrappers that produce
 * frames reuse one output buffer, so a step allocates only small records.
 */
package org.eprop.envs.wrappers;
