/**
 * Atari 2600 games on ALE 0.6.1 (through JavaCPP) behind the Gymnasium-style {@code Env} API.
 *
 * <ul>
 *   <li>{@link org.eprop.envs.ale.AleEnv}: one emulator, ALE v5 semantics
 *       ({@link org.eprop.envs.ale.AleSettings#v5}) or the e-prop paper's
 *       ({@link org.eprop.envs.ale.AleSettings#paper}).</li>
 *   <li>{@link org.eprop.envs.ale.VectorEnv}: n environments on n threads with auto-reset.</li>
 *   <li>{@link org.eprop.envs.ale.AleRoms} and {@link org.eprop.envs.ale.AleGames}: ROM search and
 *       checks, done in Java because ALE 0.6 ends or hangs the JVM on a bad ROM (see
 *       {@code envs/ROMS.md}).</li>
 *   <li>{@link org.eprop.envs.ale.Play} and {@link org.eprop.envs.ale.AleBenchmark}: random play
 *       and throughput.</li>
 * </ul>
 *
 * <p>Preprocessing (no-op starts, grayscale/resize to 84x84, reward clipping, frame stacking, time
 * limits, video) is done by wrappers stacked on {@code AleEnv}, not by the environment.
 */
package org.eprop.envs.ale;
