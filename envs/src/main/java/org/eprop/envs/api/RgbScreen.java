package org.eprop.envs.api;

/**
 * An environment that can draw its current state as an RGB picture whatever its observations are,
 * like Gymnasium's {@code render_mode="rgb_array"}: an Atari game observed as gray still shows its
 * colour screen. Recorded gameplay ({@code eprop eval --video}) draws this picture where the game
 * offers it, and the observation otherwise.
 */
public interface RgbScreen {

    /**
     * The current screen, {@code height x width x 3}, as a new frame (not reused: meant for
     * recordings, not for the step loop). It shows the state of the last {@code reset} or
     * {@code step}.
     */
    Frame render();
}
