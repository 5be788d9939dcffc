/**
 * The environment API with Gymnasium semantics, its wrappers, the ALE backend and the cue tasks.
 *
 * <p>This module is laid down with the project and filled by later issues.
 */
package org.eprop.envs;
