/**
 * PNG figures of training runs, drawn headless with XChart and Java2D so that a run on a server
 * leaves figures that can be read without a notebook. One class per figure:
 * {@link org.eprop.agent.plot.LearningCurvePlot learning curves},
 * {@link org.eprop.agent.plot.TrialPlot one trial} in the style of Fig. 3 of Bellec et al. 2020,
 * {@link org.eprop.agent.plot.RasterPlot a spike raster} on its own,
 * {@link org.eprop.agent.plot.TargetVsOutputPlot a regression fit} and
 * {@link org.eprop.agent.plot.GradientComparisonPlot a gradient comparison}. The numbers in their
 * titles come from the project's one implementation of each metric, so a figure and a log agree.
 *
 * <p>Every file is written atomically (temporary file in the same directory, then an atomic
 * rename), so a reader never sees half a PNG; missing parent directories are created. Failures to
 * write are reported as {@link java.io.UncheckedIOException}; inconsistent arguments as
 * {@link IllegalArgumentException} naming the argument.
 */
package org.eprop.agent.plot;
