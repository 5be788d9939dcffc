package org.eprop.envs.ale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eprop.envs.api.Frame;
import org.eprop.envs.api.Step;
import org.eprop.envs.vector.VectorEnv;
import org.eprop.learning.rng.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AleEnvironments#vector}: real ALE emulators on the vector environment's threads. */
class AleVectorEnvTest {
    @TempDir
    Path tmp;

    @Test
    void aleVectorMatchesSingleEnvsStepByStep() {
        Path roms = TestRoms.pongDir(tmp);
        AleSettings s = TestRoms.pong(roms).withObservation(AleSettings.Observation.GRAYSCALE)
                .withMaxEpisodeFrames(400);
        int n = 2;
        int steps = 130;
        List<List<Frame>> single = new ArrayList<>();
        List<List<Double>> singleRewards = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            try (AleEnv env = new AleEnv(s)) {
                List<Frame> frames = new ArrayList<>();
                List<Double> rewards = new ArrayList<>();
                frames.add(env.reset(21 + i).observation().copy());
                Rng actions = new Rng(5 + i);
                boolean pending = false;
                for (int k = 0; k < steps; k++) {
                    int a = actions.nextInt(6);
                    if (pending) {
                        frames.add(env.reset().observation().copy());
                        rewards.add(0.0);
                        pending = false;
                        continue;
                    }
                    Step<Frame> st = env.step(a);
                    frames.add(st.observation().copy());
                    rewards.add(st.reward());
                    pending = st.done();
                }
                single.add(frames);
                singleRewards.add(rewards);
            }
        }
        for (int rep = 0; rep < 2; rep++) {
            try (VectorEnv<Frame, Integer> vec = AleEnvironments.vector(n, s)) {
                VectorEnv.Resets<Frame> r = vec.reset(21);
                Rng[] actions = {new Rng(5), new Rng(6)};
                for (int i = 0; i < n; i++) {
                    assertTrue(single.get(i).get(0).samePixels(r.observations().get(i)));
                }
                int dones = 0;
                for (int k = 0; k < steps; k++) {
                    List<Integer> a = List.of(actions[0].nextInt(6), actions[1].nextInt(6));
                    VectorEnv.Steps<Frame> st = vec.step(a);
                    for (int i = 0; i < n; i++) {
                        assertTrue(single.get(i).get(k + 1).samePixels(st.observations().get(i)),
                                "env " + i + " step " + k + " round " + rep);
                        assertEquals(singleRewards.get(i).get(k), st.rewards()[i]);
                        dones += st.done(i) ? 1 : 0;
                    }
                }
                assertEquals(n, dones, "each env hit the 400-frame cap once (at step 100; step 101 resets)");
                assertSame(Frame.class, vec.singleObservationSpace().sample(new Rng(0)).getClass());
            }
        }
    }
}
