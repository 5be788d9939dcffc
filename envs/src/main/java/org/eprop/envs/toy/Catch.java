package org.eprop.envs.toy;

import org.eprop.envs.api.Box;
import org.eprop.envs.api.Discrete;
import org.eprop.envs.api.Env;
import org.eprop.envs.api.Info;
import org.eprop.envs.api.Reset;
import org.eprop.envs.api.Space;
import org.eprop.envs.api.Step;
import org.eprop.learning.rng.Rng;

/**
 * bsuite's Catch (Osband et al. 2020, "Behaviour Suite for Reinforcement Learning"), with the same
 * rules: a ball starts in row 0 of a {@code rows x columns} grid (10 x 5 by default) at a uniformly
 * drawn column and falls one row per step; a paddle in the bottom row starts in column
 * {@code columns / 2} and moves left, stays or moves right (clamped at the edges) before the ball
 * falls. When the ball reaches the bottom row the episode terminates with reward +1 if the paddle
 * is under it and -1 otherwise; every other step gives 0. An episode is therefore exactly
 * {@code rows - 1} steps (9 by default).
 *
 * <p>Observation: the grid as {@code float[rows * columns]}, row-major (cell {@code (r, c)} at
 * {@code r * columns + c}), 1.0 at the ball and at the paddle, 0 elsewhere; one array refilled
 * at every reset and step (so a step allocates nothing), valid until the next call, as are the
 * returned {@link Step} and {@link Reset}. Actions: {@link #LEFT} 0, {@link #STAY} 1, {@link #RIGHT} 2. Every reset and
 * step carries the positions in its info ({@link #BALL_ROW}, {@link #BALL_COLUMN},
 * {@link #PADDLE_COLUMN}).
 *
 * <p>Unlike bsuite (which resets by itself on the step after the end), stepping a finished
 * episode is an error, as in Gymnasium; {@code VectorEnv} does the auto-reset. Before the first
 * {@link #reset(long)} the random stream is that of seed 0.
 */
public final class Catch implements Env<float[], Integer> {
    /** The registered id. */
    public static final String ID = "toy/catch";

    /** Move the paddle one column left. */
    public static final int LEFT = 0;
    /** Keep the paddle where it is. */
    public static final int STAY = 1;
    /** Move the paddle one column right. */
    public static final int RIGHT = 2;

    /** Row of the ball, 0 (top) to {@code rows - 1} (bottom, where the episode ends). */
    public static final Info.Key<Integer> BALL_ROW = Info.Key.of("ball_row", Integer.class);
    /** Column of the ball (fixed during an episode). */
    public static final Info.Key<Integer> BALL_COLUMN = Info.Key.of("ball_column", Integer.class);
    /** Column of the paddle (always in the bottom row). */
    public static final Info.Key<Integer> PADDLE_COLUMN = Info.Key.of("paddle_column", Integer.class);

    /**
     * The YAML parameters ({@code env.params}); the defaults are bsuite's.
     *
     * @param rows grid height; an episode has {@code rows - 1} steps (at least 2)
     * @param columns grid width (at least 1)
     */
    public record Params(int rows, int columns) {

        /** bsuite's grid: 10 rows, 5 columns. */
        public static Params defaults() {
            return new Params(10, 5);
        }

        public Params {
            // One row would put the ball on the paddle's row at the start: no step, no decision.
            if (rows < 2) {
                throw new IllegalArgumentException("rows must be >= 2 (the ball needs a row to fall from), got " + rows);
            }
            if (columns < 1) {
                throw new IllegalArgumentException("columns must be >= 1, got " + columns);
            }
        }
    }

    private final Params params;
    private final int rows;
    private final int columns;
    private final Box observations;
    private final Discrete actions = new Discrete(3);
    /** The observation grid, info, step and reset, refilled at every call (valid until the next call). */
    private final float[] grid;
    private final Step<float[]> step = new Step<>();
    private final Reset<float[]> reset = new Reset<>();
    private final Info info = Info.reusable();
    private Rng rng = new Rng(0);
    private int ballRow;
    private int ballColumn;
    private int paddleColumn;
    private boolean running;

    public Catch(Params params) {
        this.params = java.util.Objects.requireNonNull(params, "params");
        this.rows = params.rows();
        this.columns = params.columns();
        this.observations = new Box(new int[] {rows, columns}, 0f, 1f);
        this.grid = new float[rows * columns];
    }

    /** bsuite's 10 x 5 grid. */
    public Catch() {
        this(Params.defaults());
    }

    public Params params() {
        return params;
    }

    /** Steps per episode: the ball falls from row 0 to row {@code rows - 1}. */
    public int steps() {
        return rows - 1;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Space<float[]> observationSpace() {
        return observations;
    }

    @Override
    public Space<Integer> actionSpace() {
        return actions;
    }

    @Override
    public Reset<float[]> reset(long seed) {
        rng = new Rng(seed);
        return reset();
    }

    @Override
    public Reset<float[]> reset() {
        ballColumn = rng.nextInt(columns);
        ballRow = 0;
        paddleColumn = columns / 2;
        running = true;
        return reset.set(observation(), info());
    }

    @Override
    public Step<float[]> step(Integer action) {
        if (!running) {
            throw new IllegalStateException("step() on a finished or unstarted episode of " + ID + ": call reset() first");
        }
        if (!actions.contains(action)) {
            throw new IllegalArgumentException(ID + " takes actions 0 (left), 1 (stay), 2 (right), got " + action);
        }
        // The paddle moves first, then the ball falls (bsuite's order), so the last action still counts.
        paddleColumn = Math.max(0, Math.min(columns - 1, paddleColumn + action - 1));
        ballRow++;
        if (ballRow == rows - 1) {
            running = false;
            return step.set(observation(), paddleColumn == ballColumn ? 1.0 : -1.0, true, false, info());
        }
        return step.set(observation(), 0.0, false, false, info());
    }

    private float[] observation() {
        java.util.Arrays.fill(grid, 0f);
        grid[ballRow * columns + ballColumn] = 1f;
        grid[(rows - 1) * columns + paddleColumn] = 1f;
        return grid;
    }

    private Info info() {
        return info.clear().setInt(BALL_ROW, ballRow).setInt(BALL_COLUMN, ballColumn).setInt(PADDLE_COLUMN, paddleColumn);
    }
}
