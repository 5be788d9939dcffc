package org.eprop.envs.wrappers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eprop.envs.api.Frame;
import org.eprop.envs.api.FrameSpace;
import org.eprop.envs.api.Reset;
import org.eprop.envs.api.Step;
import org.eprop.learning.rng.Rng;
import org.junit.jupiter.api.Test;

class GrayscaleResizeWrapperTest {

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    private static int[] ints(byte[] b) {
        int[] v = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            v[i] = b[i] & 0xFF;
        }
        return v;
    }

    private static int[] resize(int h, int w, int oh, int ow, int... src) {
        byte[] out = new byte[oh * ow];
        new AreaResize(h, w, oh, ow, 1).apply(bytes(src), out);
        return ints(out);
    }

    @Test
    void lumaUsesOpenCvsFixedPointBt601Weights() {
        assertEquals(76, GrayscaleResize.luma(255, 0, 0));   // 0.299 * 255 = 76.2
        assertEquals(150, GrayscaleResize.luma(0, 255, 0));  // 0.587 * 255 = 149.7
        assertEquals(29, GrayscaleResize.luma(0, 0, 255));   // 0.114 * 255 = 29.1
        assertEquals(255, GrayscaleResize.luma(255, 255, 255));
        assertEquals(0, GrayscaleResize.luma(0, 0, 0));
        assertEquals(141, GrayscaleResize.luma(100, 150, 200)); // 29.9 + 88.05 + 22.8 = 140.75
    }

    @Test
    void fractionalFactorsWeighPartlyCoveredPixels() {
        // 5 -> 2: each output covers 2.5 pixels: (10 + 20 + 0.5*30) / 2.5 and (0.5*30 + 40 + 50) / 2.5
        assertArrayEquals(new int[] {18, 42}, resize(1, 5, 1, 2, 10, 20, 30, 40, 50));
        // 5x5 -> 2x2 of v = 10y + x: row and column weights (.4, .4, .2) and (.2, .4, .4),
        // so each output is 10 * mean(y) + mean(x) with means 0.8 and 3.2
        int[] img = new int[25];
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 5; x++) {
                img[y * 5 + x] = 10 * y + x;
            }
        }
        assertArrayEquals(new int[] {9, 11, 33, 35}, resize(5, 5, 2, 2, img)); // 8.8, 11.2, 32.8, 35.2
        // 3 -> 2 (factor 1.5): (a + b/2) / 1.5 and (b/2 + c) / 1.5
        assertArrayEquals(new int[] {20, 80}, resize(1, 3, 1, 2, 0, 60, 90)); // 20, 80
    }

    @Test
    void integerFactorsRoundLikeOpenCvsBlockPath() {
        // 2x2 blocks round half up: (1+2+3+4)/4 = 2.5 -> 3, (0+0+0+2)/4 = 0.5 -> 1
        assertArrayEquals(new int[] {3, 1}, resize(2, 4, 1, 2, 1, 2, 0, 0, 3, 4, 0, 2));
        // other blocks round half to even: a 4x1 column of 1,2,3,4 -> 2.5 -> 2; 1,1,2,2 -> 1.5 -> 2
        assertArrayEquals(new int[] {2, 2}, resize(4, 2, 1, 2, 1, 1, 2, 1, 3, 2, 4, 2));
        // equal sizes copy
        assertArrayEquals(new int[] {7, 8, 9}, resize(1, 3, 1, 3, 7, 8, 9));
        assertThrows(IllegalArgumentException.class, () -> new AreaResize(4, 4, 8, 4, 1), "no upscaling");
    }

    /** Independent oracle: gray in double, then a box filter over the exact covered area. */
    private static int[] naive(Frame rgb, int oh, int ow) {
        int h = rgb.height();
        int w = rgb.width();
        double[] gray = new double[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                gray[y * w + x] = rgb.channels() == 1 ? rgb.get(y, x, 0)
                        : 0.299 * rgb.get(y, x, 0) + 0.587 * rgb.get(y, x, 1) + 0.114 * rgb.get(y, x, 2);
            }
        }
        double sy = (double) h / oh;
        double sx = (double) w / ow;
        int[] out = new int[oh * ow];
        for (int i = 0; i < oh; i++) {
            double y0 = i * sy;
            double y1 = y0 + sy;
            for (int j = 0; j < ow; j++) {
                double x0 = j * sx;
                double x1 = x0 + sx;
                double acc = 0;
                for (int py = (int) Math.floor(y0); py < Math.min(h, Math.ceil(y1)); py++) {
                    double oy = Math.min(py + 1, y1) - Math.max(py, y0);
                    for (int px = (int) Math.floor(x0); px < Math.min(w, Math.ceil(x1)); px++) {
                        double ox = Math.min(px + 1, x1) - Math.max(px, x0);
                        acc += gray[py * w + px] * oy * ox;
                    }
                }
                out[i * ow + j] = (int) Math.round(acc / (sy * sx));
            }
        }
        return out;
    }

    private static Frame random(Rng rng, int h, int w, int c, boolean smooth) {
        byte[] p = new byte[h * w * c];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int k = 0; k < c; k++) {
                    int v = smooth ? (int) (127.5 + 127.5 * Math.sin(0.05 * x * (k + 1) + 0.11 * y)) : rng.nextInt(256);
                    p[(y * w + x) * c + k] = (byte) v;
                }
            }
        }
        return new Frame(h, w, c, p);
    }

    private static void assertClose(Frame in, int oh, int ow) {
        int[] want = naive(in, oh, ow);
        int[] got = ints(GrayscaleResize.apply(in, oh, ow).pixels());
        int worst = 0;
        for (int i = 0; i < want.length; i++) {
            worst = Math.max(worst, Math.abs(want[i] - got[i]));
        }
        assertTrue(worst <= 1, in.height() + "x" + in.width() + "x" + in.channels() + " -> " + oh + "x" + ow
                + ": max abs diff " + worst);
    }

    @Test
    void matchesTheNaiveAreaOracle() {
        Rng rng = new Rng(42);
        for (int rep = 0; rep < 3; rep++) {
            assertClose(random(rng, 210, 160, 3, false), 84, 84); // factors 2.5 and 1.905
            assertClose(random(rng, 210, 160, 3, true), 84, 84);
        }
        assertClose(random(rng, 210, 160, 1, false), 84, 84);
        assertClose(random(rng, 37, 53, 3, false), 10, 21);
        assertClose(random(rng, 168, 168, 1, false), 84, 84); // 2x2 block path
        assertClose(random(rng, 252, 168, 3, false), 84, 84); // 3x2 block path
        assertClose(random(rng, 85, 85, 3, true), 84, 84);    // barely smaller
    }

    @Test
    void wrapperGivesReusedGrayFramesOfTheConfiguredSize() {
        FakeGame g = FakeGame.atari();
        GrayscaleResize<Integer> env = new GrayscaleResize<>(g);
        assertEquals(new FrameSpace(84, 84, 1), env.observationSpace());
        Reset<Frame> r = env.reset(0);
        assertEquals(new FrameSpace(84, 84, 1), r.observation().space());
        Frame first = r.observation().copy();
        Step<Frame> s = env.step(0);
        assertSame(r.observation().pixels(), s.observation().pixels(), "one output buffer");
        assertTrue(!first.samePixels(s.observation()), "the square moved");
        // same as the static path on the same game frame
        FakeGame twin = FakeGame.atari();
        twin.reset();
        assertTrue(GrayscaleResize.apply(twin.step(0).observation(), 84, 84).samePixels(s.observation()));
        // background away from the square: luma(10, 20, 30) everywhere
        int bg = GrayscaleResize.luma(10, 20, 30);
        assertEquals(bg, s.observation().get(83, 83, 0));
        assertEquals(bg, s.observation().get(40, 40, 0));

        GrayscaleResize<Integer> small = new GrayscaleResize<>(new FakeGame(6, 8, 1), 3, 4);
        Frame f = small.reset().observation();
        assertEquals(new FrameSpace(3, 4, 1), f.space());
        // the 2x2 block of rows 0..1, columns 0..1 holds two background and two square pixels
        int sq = GrayscaleResize.luma(200, 100, 50);
        assertEquals((2 * bg + 2 * sq + 2) >> 2, f.get(0, 0, 0));
        assertEquals((2 * bg + 2 * sq + 2) >> 2, f.get(1, 0, 0));
        assertEquals(bg, f.get(2, 3, 0));
    }

    @Test
    void grayInputIsOnlyResized() {
        GrayscaleResize<Integer> gray = new GrayscaleResize<>(new GrayscaleResize<>(FakeGame.atari(), 168, 120), 84, 60);
        Frame f = gray.reset().observation();
        assertEquals(new FrameSpace(84, 60, 1), f.space());
        assertEquals(GrayscaleResize.luma(10, 20, 30), f.get(80, 50, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new GrayscaleResize<>(new FrameStack<>(FakeGame.atari(), 2)), "6 channels");
    }
}
