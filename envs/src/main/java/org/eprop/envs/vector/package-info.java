/**
 * Several environments stepped together: {@link org.eprop.envs.vector.VectorEnv}, Gymnasium's
 * vector environment with one thread per environment and its auto-reset modes. It works on any
 * {@link org.eprop.envs.api.Env}; nothing here depends on a particular backend.
 */
package org.eprop.envs.vector;
