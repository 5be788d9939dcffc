/**
 * Atari 2600 games on ALE 0.6.1 (through JavaCPP) behind the Gymnasium-style {@code Env} API.
 *
 * <ul>
 *   <li>{@link org.eprop.envs.ale.AleEnv}: one emulator, ALE v5 semantics
 *       ({@link org.eprop.envs.ale.AleSettings#v5}) or the e-prop paper's
 *       ({@link org.eprop.envs.ale.AleSettings#paper}).</li>
 *   <li>{@link org.eprop.envs.ale.AleEnvironments}: the games as registered environments, and
 *       {@link org.eprop.envs.ale.AleEnvironments#vector} for n of them on the project's threads
 *       ({@link org.eprop.envs.vector.VectorEnv}).</li>
 *   <li>{@link org.eprop.envs.ale.AleRoms} and {@link org.eprop.envs.ale.AleGames}: ROM search and
 *       checks, done in Java because ALE 0.6 ends or hangs the JVM on a bad ROM: only a known dump
 *       of the game (by MD5) reaches ALE, unless the settings allow unknown ROMs, which are then
 *       tried in a separate JVM ({@code RomProbe}) and run under a watchdog ({@code AleWatchdog});
 *       see {@code envs/ROMS.md}.</li>
 *   <li>{@link org.eprop.envs.ale.Play}: random play, to check a game and its ROM
 *       ({@code eprop play}); {@link org.eprop.envs.ale.BareAle}: the emulator alone, the baseline
 *       of the throughput benchmark ({@code eprop bench --ale}).</li>
 * </ul>
 *
 * <p>Preprocessing (no-op starts, grayscale/resize to 84x84, reward clipping, frame stacking, time
 * limits, video) is done by wrappers stacked on {@code AleEnv}, not by the environment.
 */
package org.eprop.envs.ale;
