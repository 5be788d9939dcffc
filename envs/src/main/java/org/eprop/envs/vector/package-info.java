/**
 * Several environments stepped together: {@link org.eprop.envs.vector.VectorEnv}, Gymnasium's
 * vector environment, each environment confined to one of a fixed set of threads, with its auto-reset
 * modes. It works on any
 * {@link org.eprop.envs.api.Env}; nothing here depends on a particular backend.
 */
package org.eprop.envs.vector;
