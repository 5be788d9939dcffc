package org.eprop.envs.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.eprop.envs.toy.Catch;
import org.eprop.learning.rng.Rng;
import org.junit.jupiter.api.Test;

/** The single-threaded vector environment steps exactly like the threaded one. */
class SynchronousVectorEnvTest {

    private static List<String> play(VectorEnv<float[], Integer> envs) {
        List<String> trace = new ArrayList<>();
        Rng rng = new Rng(7);
        VectorEnv.Resets<float[]> r = envs.reset(11);
        r.observations().forEach(o -> trace.add(java.util.Arrays.toString(o)));
        List<Integer> actions = new ArrayList<>();
        for (int i = 0; i < envs.size(); i++) {
            actions.add(0);
        }
        for (int t = 0; t < 40; t++) {
            for (int i = 0; i < envs.size(); i++) {
                actions.set(i, rng.nextInt(3));
            }
            VectorEnv.Steps<float[]> s = envs.step(actions);
            for (int i = 0; i < envs.size(); i++) {
                trace.add(java.util.Arrays.toString(s.observations().get(i)) + " " + s.rewards()[i] + " "
                        + s.terminated()[i] + " " + s.truncated()[i]);
            }
        }
        return trace;
    }

    @Test
    void sameStepsAsTheThreadedForm() {
        for (VectorEnv.AutoresetMode mode : VectorEnv.AutoresetMode.values()) {
            List<String> threaded;
            List<String> inline;
            try (var a = new VectorEnv<float[], Integer>(4, i -> new Catch(Catch.Params.defaults()), mode, null)) {
                threaded = play(a);
            }
            try (var b = VectorEnv.<float[], Integer>synchronous(4, i -> new Catch(Catch.Params.defaults()), mode,
                    null)) {
                inline = play(b);
            }
            assertEquals(threaded, inline, mode.toString());
        }
    }

    @Test
    void aFailingFactoryFailsTheConstructor() {
        var e = assertThrows(IllegalStateException.class, () -> VectorEnv.synchronous(2, i -> {
            throw new IllegalStateException("no env " + i);
        }, VectorEnv.AutoresetMode.SAME_STEP, null));
        assertArrayEquals(new String[] {"no env 0"}, new String[] {e.getMessage()});
    }
}
