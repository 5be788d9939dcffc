/**
 * PNG figures of training runs (learning curves, single trials in the style of Fig. 3 of Bellec et
 * al. 2020, regression fits, gradient comparisons), drawn headless with XChart and Java2D so that a
 * run on a server leaves figures that can be read without a notebook.
 *
 * <p>Everything is in {@link org.eprop.agent.plot.Plots}. Every file is written atomically
 * (temporary file in the same directory, then an atomic rename), so a reader never sees half a PNG.
 */
package org.eprop.agent.plot;
