package org.eprop.envs.ale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.eprop.envs.api.Env;
import org.eprop.envs.api.Frame;
import org.eprop.envs.api.InfoKeys;
import org.eprop.envs.registry.GameSpec;
import org.eprop.envs.vector.VectorEnv;
import org.eprop.envs.wrappers.TimeLimit;
import org.eprop.learning.rng.Rng;
import org.junit.jupiter.api.Test;

/**
 * The Gymnasium-style stepping allocates nothing per step once warm: a vector of the project's
 * Pong test cartridges with the paper's preprocessing (skip 4, episode statistics, no-op starts,
 * reward clipping, 84x84 gray), a time limit and same-step auto-reset, one thread per emulator.
 * Episodes are cut short so that resets, final observations and infos are part of what is measured.
 */
class AleVectorEnvAllocationTest {
    private static final int ENVS = 2;

    /** Bytes the caller and the vector's threads have allocated so far. */
    private static long allocated(com.sun.management.ThreadMXBean threads, long[] ids) {
        long sum = 0;
        for (long id : ids) {
            sum += threads.getThreadAllocatedBytes(id);
        }
        return sum;
    }

    @Test
    @SuppressWarnings("unchecked")
    void steppingTheWrappedVectorAllocatesNothing() {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
                && t.isThreadAllocatedMemorySupported(), "no per-thread allocation counters");
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        GameSpec<AleParams, Frame, Integer> spec = (GameSpec<AleParams, Frame, Integer>) AleEnvironments.all().stream()
                .filter(s -> s.id().equals(AleEnvironments.TEST_PONG)).findFirst().orElseThrow();
        AleParams d = AleParams.defaults();
        AleParams paper = new AleParams(d.romDir(), "paper", d.frameskip(), d.repeatActionProbability(),
                d.fullActionSpace(), d.maxEpisodeFrames(), d.observation(), "paper", false);
        try (VectorEnv<Frame, Integer> vec = new VectorEnv<>(ENVS, i -> new TimeLimit<Frame, Integer>(
                (Env<Frame, Integer>) spec.env(paper), 40), VectorEnv.AutoresetMode.SAME_STEP, null)) {
            vec.reset(3);
            List<Long> ids = new ArrayList<>();
            ids.add(Thread.currentThread().getId());
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().startsWith("eprop-vector-env-")) {
                    ids.add(t.getId());
                }
            }
            assertEquals(ENVS + 1, ids.size(), "the caller and a thread per environment");
            long[] idArray = ids.stream().mapToLong(Long::longValue).toArray();
            Rng rng = new Rng(7);
            List<Integer> actions = new ArrayList<>(List.of(0, 0));
            int episodes = 0;
            VectorEnv.Steps<Frame> first = null;
            long before = 0;
            int warmup = 400;
            int measured = 800;
            for (int k = 0; k < warmup + measured; k++) {
                if (k == warmup) {
                    before = allocated(threads, idArray);
                }
                for (int i = 0; i < ENVS; i++) {
                    actions.set(i, rng.nextInt(3));
                }
                VectorEnv.Steps<Frame> s = vec.step(actions);
                if (first == null) {
                    first = s;
                }
                assertSame(first, s, "one results object, refilled");
                for (int i = 0; i < ENVS; i++) {
                    if (s.done(i)) {
                        episodes++;
                        assertTrue(s.infos()[i].has(VectorEnv.FINAL_INFO), "same-step reset");
                        assertTrue(s.infos()[i].require(VectorEnv.FINAL_INFO).has(InfoKeys.EPISODE_FRAME_NUMBER));
                        assertTrue(s.infos()[i].require(VectorEnv.FINAL_OBSERVATION) instanceof Frame f
                                && f.height() == 84 && f.channels() == 1);
                    }
                }
            }
            double perStep = (allocated(threads, idArray) - before) / (double) measured;
            assertTrue(episodes >= (warmup + measured) * ENVS / 40 - ENVS, "episodes were cut and reset: " + episodes);
            // 0 measured; the bound leaves room for an object per episode, not for one per step
            // (each layer's result and info, per step, came to about 1.6 KB per environment)
            assertTrue(perStep < 32, perStep + " bytes per step of the vector");
        }
    }
}
