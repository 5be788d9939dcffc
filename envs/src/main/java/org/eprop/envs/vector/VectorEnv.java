package org.eprop.envs.vector;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;
import org.eprop.envs.api.Env;
import org.eprop.envs.api.Frame;
import org.eprop.envs.api.Info;
import org.eprop.envs.api.Reset;
import org.eprop.envs.api.Space;
import org.eprop.envs.api.Step;
import org.eprop.learning.tensor.BatchParallel;

/**
 * {@code n} environments stepped in parallel on a fixed set of threads: environment {@code i} is
 * created, stepped and closed always on thread {@code i mod threads}, which is what emulators with
 * thread-confined native state need (ALE wants each instance kept to one thread; a thread may own
 * several). The number of threads is the project's one thread count
 * ({@link org.eprop.learning.tensor.BatchParallel#threads()}, {@code -Deprop.threads}) unless given:
 * 32 Atari games on a 2-core machine run on 2 threads, each stepping its 16 in turn, rather than on
 * 32 threads contending for the cores with each other and with the network's workers. Environments
 * whose steps take microseconds run faster all on the caller's thread: {@link #synchronous}.
 *
 * <ul>
 *   <li>{@link #reset(long)} resets environment {@code i} with {@code seed + i}; {@link #reset()}
 *       resets all without reseeding.</li>
 *   <li>{@link #step(List)} steps all and returns per-environment arrays. Results are put in place
 *       by index, so a run is the same for a seed whatever the thread scheduling, and environment
 *       {@code i} follows the same trajectory as a single environment reset with {@code seed + i}
 *       and given the same actions.</li>
 *   <li>Auto-reset, {@link AutoresetMode#NEXT_STEP} by default (Gymnasium 1.0's default): the step
 *       that ends an episode returns that episode's final observation and info (so they are simply
 *       the step's own); the next {@code step} resets that environment instead of stepping it,
 *       ignores its action and returns the first observation, reward 0, both flags false and the
 *       reset info. With {@link AutoresetMode#SAME_STEP} the ending step resets at once and returns
 *       the new episode's first observation, the ending step's reward and flags, and the reset info
 *       with {@link #FINAL_OBSERVATION} (a copy) and {@link #FINAL_INFO} added.</li>
 *   <li>Results are reused: {@link #step} and {@link #reset} fill and return the same
 *       {@link Steps} and {@link Resets} every time, holding the environments' own observations
 *       and infos (reused frames and infos, see {@link Step}); the final observation and info of
 *       SAME_STEP mode are copies into buffers of this vector env, overwritten at that
 *       environment's next episode end. All are valid until the next call; a caller that keeps
 *       something copies it ({@link Frame#copy()}, {@link Info#copy()}). So a step of the vector
 *       allocates nothing beyond what its environments do (none for the ALE games and the
 *       Atari wrappers).</li>
 * </ul>
 *
 * <p>Not thread-safe: call it from one thread at a time. {@link #close()} closes the environments
 * and stops the threads.
 *
 * <p>The ALE games have a shortcut, {@code AleEnvironments.vector(n, settings)}.
 *
 * @param <O> the observation type
 * @param <A> the action type
 */
public final class VectorEnv<O, A> implements AutoCloseable {

    /** When a finished environment is reset. */
    public enum AutoresetMode {
        /** On the step after the one that ended the episode (Gymnasium 1.0 default). */
        NEXT_STEP,
        /** Within the step that ended the episode; the final observation and info go into the info. */
        SAME_STEP
    }

    /** SAME_STEP: the last observation of the finished episode (a copy). */
    public static final Info.Key<Object> FINAL_OBSERVATION = Info.Key.of("final_obs", Object.class);
    /** SAME_STEP: the info of the last step of the finished episode. */
    public static final Info.Key<Info> FINAL_INFO = Info.Key.of("final_info", Info.class);

    /**
     * Results of {@link #reset}: observation and info of each environment. One instance per vector
     * env, refilled by every reset (see the class comment).
     */
    public static final class Resets<O> {
        private final Object[] observationArray;
        private final List<O> observations;
        private final Info[] infos;

        @SuppressWarnings("unchecked")
        Resets(int n) {
            this.observationArray = new Object[n];
            this.observations = Collections.unmodifiableList((List<O>) Arrays.asList(observationArray));
            this.infos = new Info[n];
        }

        /** Environment {@code i}'s observation at {@code get(i)} (a read-only view). */
        public List<O> observations() {
            return observations;
        }

        public Info[] infos() {
            return infos;
        }
    }

    /**
     * Results of {@link #step}: per environment. One instance per vector env, refilled by every
     * step (see the class comment); its arrays are the instance's own.
     */
    public static final class Steps<O> {
        private final Object[] observationArray;
        private final List<O> observations;
        private final double[] rewards;
        private final boolean[] terminated;
        private final boolean[] truncated;
        private final Info[] infos;

        @SuppressWarnings("unchecked")
        Steps(int n) {
            this.observationArray = new Object[n];
            this.observations = Collections.unmodifiableList((List<O>) Arrays.asList(observationArray));
            this.rewards = new double[n];
            this.terminated = new boolean[n];
            this.truncated = new boolean[n];
            this.infos = new Info[n];
        }

        /** Environment {@code i}'s observation at {@code get(i)} (a read-only view). */
        public List<O> observations() {
            return observations;
        }

        public double[] rewards() {
            return rewards;
        }

        public boolean[] terminated() {
            return terminated;
        }

        public boolean[] truncated() {
            return truncated;
        }

        public Info[] infos() {
            return infos;
        }

        /** Whether environment {@code i}'s episode ended on this step. */
        public boolean done(int i) {
            return terminated[i] || truncated[i];
        }
    }

    private static final int OP_RESET_SEED = 1;
    private static final int OP_RESET = 2;
    private static final int OP_STEP = 3;
    private static final int OP_CLOSE = 4;

    /**
     * Hand-over tuning, measured on 2 cores with Pong (a step is about 200 us). Parking at once cost
     * about 50 us per step (a vector of one env ran at 0.73x a bare env, 0.92x with spinning). So the
     * caller spins while it waits when there is a core to spare (fewer environments than cores), and
     * a worker that has finished keeps polling, yielding its core, for a short while before it parks.
     */
    private static final long CALLER_SPIN_NS = 1_000_000;
    private static final long WORKER_SPIN_NS = 30_000;
    private final boolean callerSpins;
    private final boolean inline;
    private final Worker[] workers;
    /** The threads, each owning the environments i with i mod lanes.length == its index; empty when inline. */
    private final Lane[] lanes;
    private final AutoresetMode autoresetMode;
    /** The copier given to the constructor, or null: copy into each worker's reused buffer. */
    private final UnaryOperator<O> copier;
    private final Steps<O> steps;
    private final Resets<O> resets;
    private volatile Thread caller;
    private int sequence;
    private boolean closed;

    /** {@code n} environments made by {@code factory(i)} on thread {@code i}, next-step auto-reset. */
    public VectorEnv(int n, IntFunction<? extends Env<O, A>> factory) {
        this(n, factory, AutoresetMode.NEXT_STEP, null);
    }

    /**
     * @param n number of environments
     * @param factory makes environment {@code i}; called on its thread
     * @param autoresetMode when finished environments are reset
     * @param copier copies a final observation for SAME_STEP mode (null: into a buffer of the
     *     environment's, reused at its next episode end, for frames and primitive arrays; the
     *     object itself for other types)
     */
    public VectorEnv(int n, IntFunction<? extends Env<O, A>> factory, AutoresetMode autoresetMode,
            UnaryOperator<O> copier) {
        this(n, factory, autoresetMode, copier, BatchParallel.threads());
    }

    /**
     * As {@link #VectorEnv(int, IntFunction, AutoresetMode, UnaryOperator)} on {@code threads}
     * threads (at most n are made).
     */
    public VectorEnv(int n, IntFunction<? extends Env<O, A>> factory, AutoresetMode autoresetMode,
            UnaryOperator<O> copier, int threads) {
        this(n, factory, autoresetMode, copier, checkThreads(threads), false);
    }

    private static int checkThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("a vector env needs at least one thread, got " + threads);
        }
        return threads;
    }

    /**
     * {@code n} environments stepped one after the other on the caller's thread: for environments
     * whose step costs microseconds (toy and cue tasks), where handing each step to its own thread
     * costs more than the step. The same results as the threaded form, step for step.
     */
    public static <O, A> VectorEnv<O, A> synchronous(int n, IntFunction<? extends Env<O, A>> factory,
            AutoresetMode autoresetMode, UnaryOperator<O> copier) {
        return new VectorEnv<>(n, factory, autoresetMode, copier, 1, true);
    }

    private VectorEnv(int n, IntFunction<? extends Env<O, A>> factory, AutoresetMode autoresetMode,
            UnaryOperator<O> copier, int threads, boolean inline) {
        if (n < 1) {
            throw new IllegalArgumentException("a vector env needs n >= 1, got " + n);
        }
        this.autoresetMode = Objects.requireNonNull(autoresetMode, "autoresetMode");
        this.copier = copier;
        this.steps = new Steps<>(n);
        this.resets = new Resets<>(n);
        @SuppressWarnings("unchecked")
        Worker[] array = (Worker[]) java.lang.reflect.Array.newInstance(Worker.class, n);
        this.workers = array;
        this.inline = inline;
        int laneCount = inline ? 0 : Math.min(n, threads);
        this.lanes = (Lane[]) java.lang.reflect.Array.newInstance(Lane.class, laneCount);
        this.callerSpins = laneCount < Runtime.getRuntime().availableProcessors();
        this.caller = Thread.currentThread();
        for (int i = 0; i < n; i++) {
            workers[i] = new Worker(i, factory);
        }
        for (int t = 0; t < laneCount; t++) {
            lanes[t] = new Lane(t);
        }
        if (inline) {
            for (Worker w : workers) {
                w.create();
            }
        } else {
            for (Lane lane : lanes) {
                lane.thread.start();
            }
            for (Lane lane : lanes) {
                lane.awaitCreated();
            }
        }
        RuntimeException failure = null;
        for (Worker w : workers) {
            if (w.error != null && failure == null) {
                failure = asRuntime(w.error);
            }
        }
        if (failure != null) {
            close();
            throw failure;
        }
    }

    /** The threads the environments run on (0 for a synchronous vector env). */
    public int threads() {
        return lanes.length;
    }

    /** Number of environments. */
    public int size() {
        return workers.length;
    }

    public AutoresetMode autoresetMode() {
        return autoresetMode;
    }

    /** The observation space of one environment. */
    public Space<O> singleObservationSpace() {
        return workers[0].observationSpace;
    }

    /** The action space of one environment. */
    public Space<A> singleActionSpace() {
        return workers[0].actionSpace;
    }

    /** The id of the environments. */
    public String id() {
        return workers[0].id;
    }

    /** Resets environment {@code i} with seed {@code seed + i}. */
    public Resets<O> reset(long seed) {
        for (Worker w : workers) {
            w.op = OP_RESET_SEED;
            w.seed = seed + w.index;
        }
        run();
        return resets();
    }

    /** Resets all environments without reseeding. */
    public Resets<O> reset() {
        for (Worker w : workers) {
            w.op = OP_RESET;
        }
        run();
        return resets();
    }

    /**
     * Steps environment {@code i} with {@code actions.get(i)} (or auto-resets it, see the class
     * comment). The list is read before the call returns, so a caller can refill one list each step.
     */
    public Steps<O> step(List<? extends A> actions) {
        if (actions.size() != workers.length) {
            throw new IllegalArgumentException("need " + workers.length + " actions, got " + actions.size());
        }
        for (Worker w : workers) {
            if (!w.started) {
                throw new IllegalStateException("reset() the vector env before step()");
            }
            w.op = OP_STEP;
            w.action = actions.get(w.index);
        }
        run();
        Steps<O> out = steps;
        for (Worker w : workers) {
            int i = w.index;
            out.observationArray[i] = w.observation;
            out.rewards[i] = w.reward;
            out.terminated[i] = w.terminated;
            out.truncated[i] = w.truncated;
            out.infos[i] = w.info;
        }
        return out;
    }

    private Resets<O> resets() {
        Resets<O> out = resets;
        for (Worker w : workers) {
            out.observationArray[w.index] = w.observation;
            out.infos[w.index] = w.info;
        }
        return out;
    }

    /** Hands the prepared command to every worker and waits for all of them. */
    private void run() {
        if (closed) {
            throw new IllegalStateException("the vector env is closed");
        }
        caller = Thread.currentThread();
        int seq = ++sequence;
        if (inline) {
            RuntimeException failure = null;
            for (Worker w : workers) {
                w.error = null;
                try {
                    w.execute(w.op);
                } catch (Throwable t) {
                    w.error = t;
                }
                if (w.error != null && failure == null) {
                    failure = asRuntime(w.error);
                }
            }
            if (failure != null) {
                throw failure;
            }
            return;
        }
        for (Worker w : workers) {
            w.error = null;
        }
        for (Lane lane : lanes) {
            lane.request = seq;
            LockSupport.unpark(lane.thread);
        }
        for (Lane lane : lanes) {
            if (lane.done != seq && callerSpins) {
                long until = System.nanoTime() + CALLER_SPIN_NS;
                while (lane.done != seq && System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            }
            while (lane.done != seq) {
                LockSupport.park(this);
            }
        }
        RuntimeException failure = null;
        for (Worker w : workers) {
            if (w.error != null && failure == null) {
                failure = asRuntime(w.error);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static RuntimeException asRuntime(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    /**
     * A copy of {@code o} in {@code into} when that is a buffer of the same type and size (a frame
     * of the same shape, an array of the same length), else in a new one; other types are not
     * copied. Frames and primitive arrays are what environments reuse from step to step.
     */
    @SuppressWarnings("unchecked")
    private static <O> O copyInto(O o, Object into) {
        if (o instanceof Frame f) {
            if (into instanceof Frame g && g.height() == f.height() && g.width() == f.width()
                    && g.channels() == f.channels()) {
                System.arraycopy(f.pixels(), 0, g.pixels(), 0, f.pixels().length);
                return (O) g;
            }
            return (O) f.copy();
        }
        if (o instanceof float[] a) {
            if (into instanceof float[] b && b.length == a.length) {
                System.arraycopy(a, 0, b, 0, a.length);
                return (O) b;
            }
            return (O) a.clone();
        }
        if (o instanceof byte[] a) {
            if (into instanceof byte[] b && b.length == a.length) {
                System.arraycopy(a, 0, b, 0, a.length);
                return (O) b;
            }
            return (O) a.clone();
        }
        if (o instanceof double[] a) {
            if (into instanceof double[] b && b.length == a.length) {
                System.arraycopy(a, 0, b, 0, a.length);
                return (O) b;
            }
            return (O) a.clone();
        }
        return o;
    }

    /** Closes the environments (each on its thread) and stops the threads; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (inline) {
            closed = true;
            for (Worker w : workers) {
                if (w != null && w.error == null && w.env != null) {
                    w.env.close();
                }
            }
            return;
        }
        caller = Thread.currentThread();
        int seq = ++sequence;
        for (Worker w : workers) {
            if (w != null) {
                w.op = OP_CLOSE;
            }
        }
        for (Lane lane : lanes) {
            if (lane != null && lane.thread.isAlive()) {
                lane.request = seq;
                LockSupport.unpark(lane.thread);
            }
        }
        closed = true;
        for (Lane lane : lanes) {
            if (lane == null) {
                continue;
            }
            try {
                lane.thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * One thread and the environments it owns (every {@code lanes.length}-th from its index), which
     * it creates, steps and closes in index order. Commands and results pass through the workers'
     * fields, handed over by the volatile request/done.
     */
    private final class Lane implements Runnable {
        final int index;
        final Thread thread;
        volatile int request;
        volatile int done;
        volatile boolean created;

        Lane(int index) {
            this.index = index;
            this.thread = new Thread(this, "eprop-vector-env-" + index);
            thread.setDaemon(true);
        }

        void awaitCreated() {
            while (!created) {
                LockSupport.park(VectorEnv.this);
            }
        }

        @Override
        public void run() {
            for (int i = index; i < workers.length; i += lanes.length) {
                workers[i].create();
            }
            created = true;
            LockSupport.unpark(caller);
            int seen = 0;
            while (true) {
                int seq = request;
                if (seq == seen) {
                    long until = System.nanoTime() + WORKER_SPIN_NS;
                    while ((seq = request) == seen && System.nanoTime() < until) {
                        Thread.yield();
                    }
                }
                while ((seq = request) == seen) {
                    LockSupport.park(VectorEnv.this);
                }
                seen = seq;
                boolean closing = false;
                for (int i = index; i < workers.length; i += lanes.length) {
                    Worker w = workers[i];
                    int command = w.op;
                    closing |= command == OP_CLOSE;
                    if (w.env == null) {
                        continue; // its creation failed; the vector env is being closed
                    }
                    try {
                        w.execute(command);
                    } catch (Throwable t) {
                        w.error = t;
                    }
                }
                done = seq;
                LockSupport.unpark(caller);
                if (closing) {
                    return;
                }
            }
        }
    }

    /** One environment, run by its {@link Lane} (or inline). */
    private final class Worker {
        final int index;
        final IntFunction<? extends Env<O, A>> factory;
        // command (written by the caller before the volatile write of its lane's request)
        int op;
        long seed;
        A action;
        // results (written on the lane before the volatile write of its done)
        O observation;
        double reward;
        boolean terminated;
        boolean truncated;
        Info info;
        Throwable error;
        boolean started;
        Space<O> observationSpace;
        Space<A> actionSpace;
        String id;
        // lane-private
        private Env<O, A> env;
        private boolean pendingReset;
        /** SAME_STEP: the final observation and info, and the reset info they are added to; reused. */
        private O finalObservation;
        private final Info finalInfo = Info.reusable();
        private final Info resetInfo = Info.reusable();

        Worker(int index, IntFunction<? extends Env<O, A>> factory) {
            this.index = index;
            this.factory = factory;
        }

        /** Makes the environment (on the thread that will step it). */
        void create() {
            try {
                env = factory.apply(index);
                observationSpace = env.observationSpace();
                actionSpace = env.actionSpace();
                id = env.id();
            } catch (Throwable t) {
                error = t;
            }
        }

        private void execute(int command) {
            switch (command) {
                case OP_RESET_SEED -> reset(env.reset(seed));
                case OP_RESET -> reset(env.reset());
                case OP_STEP -> step();
                case OP_CLOSE -> env.close();
                default -> throw new IllegalStateException("unknown command " + command);
            }
        }

        private void reset(Reset<O> r) {
            observation = r.observation();
            info = r.info();
            reward = 0;
            terminated = false;
            truncated = false;
            pendingReset = false;
            started = true;
        }

        private void step() {
            if (pendingReset) {
                reset(env.reset());
                return;
            }
            Step<O> s = env.step(action);
            reward = s.reward();
            terminated = s.terminated();
            truncated = s.truncated();
            if (!s.done()) {
                observation = s.observation();
                info = s.info();
            } else if (autoresetMode == AutoresetMode.NEXT_STEP) {
                observation = s.observation();
                info = s.info();
                pendingReset = true;
            } else {
                // both are the environment's own buffers, which the reset below overwrites
                finalObservation = copier != null ? copier.apply(s.observation())
                        : copyInto(s.observation(), finalObservation);
                finalInfo.setAll(s.info());
                Reset<O> r = env.reset();
                observation = r.observation();
                info = resetInfo.setAll(r.info()).set(FINAL_OBSERVATION, finalObservation).set(FINAL_INFO, finalInfo);
            }
        }
    }
}
