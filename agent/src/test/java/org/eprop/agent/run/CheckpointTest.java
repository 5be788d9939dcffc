package org.eprop.agent.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    @TempDir
    Path tmp;

    static Checkpoint sample() {
        return Checkpoint.builder()
                .put("w_in", new double[] {0.5, -0.0, Double.NaN, Double.longBitsToDouble(0x7ff8000000000123L),
                        Double.MIN_VALUE, Double.MAX_VALUE, Double.NEGATIVE_INFINITY})
                .put("w_rec", new float[] {1.5f, -0.0f, Float.intBitsToFloat(0x7fc00042), Float.MIN_VALUE, 3.14159f})
                .put("rng", new long[] {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE})
                .put("shape", new int[] {Integer.MIN_VALUE, 100, 0})
                .put("empty", new double[0])
                .put("config", "seed: 42\nname: Ünïcode ✓\n")
                .put("é", "")
                .build();
    }

    @Test
    void roundTripsEveryEntryTypeBitForBit() throws IOException {
        Checkpoint c = sample();
        Path file = tmp.resolve("c.bin");
        CheckpointFormat.write(file, c);
        Checkpoint r = CheckpointFormat.read(file);

        assertEquals(List.of("w_in", "w_rec", "rng", "shape", "empty", "config", "é"), List.copyOf(r.names()));
        assertArrayEquals(bits(c.doubles("w_in")), bits(r.doubles("w_in")));
        float[] f0 = c.floats("w_rec");
        float[] f1 = r.floats("w_rec");
        assertEquals(f0.length, f1.length);
        for (int i = 0; i < f0.length; i++) {
            assertEquals(Float.floatToRawIntBits(f0[i]), Float.floatToRawIntBits(f1[i]));
        }
        assertArrayEquals(c.longs("rng"), r.longs("rng"));
        assertArrayEquals(c.ints("shape"), r.ints("shape"));
        assertEquals(0, r.doubles("empty").length);
        assertEquals("seed: 42\nname: Ünïcode ✓\n", r.string("config"));
        assertEquals("", r.string("é"));
        assertEquals(Checkpoint.Type.FLOATS, r.type("w_rec"));
        assertArrayEquals(CheckpointFormat.encode(c), Files.readAllBytes(file));
    }

    private static long[] bits(double[] a) {
        return Arrays.stream(a).mapToLong(Double::doubleToRawLongBits).toArray();
    }

    @Test
    void missingOrMistypedEntriesAreNamed() {
        Checkpoint c = Checkpoint.builder().put("w", new double[1]).put("rng", new long[4]).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.floats("bias"));
        assertTrue(e.getMessage().contains("'bias'") && e.getMessage().contains("w, rng"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> c.floats("w"));
        assertTrue(e.getMessage().contains("double[]") && e.getMessage().contains("float[]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.builder().put("a", "x").put("a", "y"));
    }

    @Test
    void isImmutable() {
        double[] w = {1, 2};
        Checkpoint c = Checkpoint.builder().put("w", w).build();
        w[0] = 99;
        c.doubles("w")[1] = 99;
        assertArrayEquals(new double[] {1, 2}, c.doubles("w"));
    }

    @Test
    void everyFlippedByteIsDetectedAndTheFileNamed() throws IOException {
        Path file = tmp.resolve("ckpt-000000042.bin");
        byte[] good = CheckpointFormat.encode(sample());
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= (byte) (1 << (i % 8));
            Files.write(file, bad);
            CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class,
                    () -> CheckpointFormat.read(file), "flip at byte " + i);
            assertTrue(e.getMessage().contains("ckpt-000000042.bin"), e.getMessage());
            assertEquals(file, e.file());
        }
    }

    @Test
    void everyTruncationIsDetectedAndTheFileNamed() throws IOException {
        Path file = tmp.resolve("ckpt-000000007.bin");
        byte[] good = CheckpointFormat.encode(sample());
        for (int n = 0; n < good.length; n++) {
            Files.write(file, Arrays.copyOf(good, n));
            CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class,
                    () -> CheckpointFormat.read(file), "truncated to " + n);
            assertTrue(e.getMessage().contains("ckpt-000000007.bin"), e.getMessage());
        }
        Files.write(file, good);
        CheckpointFormat.read(file);
    }

    @Test
    void explainsWhatIsWrong() throws IOException {
        Path file = tmp.resolve("c.bin");
        byte[] good = CheckpointFormat.encode(sample());
        Files.write(file, Arrays.copyOf(good, good.length / 2));
        assertTrue(assertThrows(CorruptCheckpointException.class, () -> CheckpointFormat.read(file))
                .getMessage().contains("truncated or corrupted"));
        Files.writeString(file, "iteration,loss\n");
        assertTrue(assertThrows(CorruptCheckpointException.class, () -> CheckpointFormat.read(file))
                .getMessage().contains("not a checkpoint"));
    }
}
