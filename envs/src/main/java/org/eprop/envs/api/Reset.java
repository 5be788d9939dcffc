package org.eprop.envs.api;

/** What {@link Env#reset} returns: the first observation of an episode and its info. */
public record Reset<O>(O observation, Info info) {
}
