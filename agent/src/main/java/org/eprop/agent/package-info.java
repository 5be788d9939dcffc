/**
 * Spiking actor-critic agents trained by reward-based e-prop, rollouts, evaluation and recorded gameplay.
 *
 * <p>This module is laid down with the project and filled by later issues.
 */
package org.eprop.agent;
