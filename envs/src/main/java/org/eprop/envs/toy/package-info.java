/**
 * Small interactive tasks that check reward-based learning in minutes rather than days, such as
 * {@link org.eprop.envs.toy.Catch} (bsuite's Catch).
 */
package org.eprop.envs.toy;
