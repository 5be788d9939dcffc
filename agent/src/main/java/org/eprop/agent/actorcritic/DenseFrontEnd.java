package org.eprop.agent.actorcritic;

import java.util.List;
import java.util.Map;
import org.eprop.learning.network.Parameters;
import org.eprop.learning.tensor.RealArray;

/** A vector observation is the LSNN's input, held over the network steps of an agent step. */
final class DenseFrontEnd implements FrontEnd<float[]> {
    private final int size;
    private final int steps;

    DenseFrontEnd(int size, int steps) {
        this.size = size;
        this.steps = steps;
    }

    @Override
    public int outputs() {
        return size;
    }

    @Override
    public int features() {
        return 0;
    }

    @Override
    public Parameters parameters() {
        return new Parameters();
    }

    @Override
    public void beginUnroll(int agentSteps) {
    }

    @Override
    public void act(List<float[]> observations, RealArray x, int width, RealArray features) {
        int rows = observations.size();
        for (int s = 0; s < steps; s++) {
            for (int b = 0; b < rows; b++) {
                float[] o = observations.get(b);
                if (o.length != size) {
                    throw new IllegalArgumentException("observation of " + o.length + " values, expected " + size);
                }
                int base = (s * rows + b) * width;
                for (int i = 0; i < size; i++) {
                    x.set(base + i, o[i]);
                }
            }
        }
    }

    @Override
    public void run(List<float[]> observations, RealArray x, int width, RealArray features) {
        act(observations, x, width, features);
    }

    @Override
    public void peek(List<float[]> observations, RealArray x, int width, RealArray features) {
        act(observations, x, width, features);
    }

    @Override
    public void gradients(RealArray dFeatures, RealArray outputErrors, Parameters into) {
    }

    @Override
    public Map<String, double[]> state() {
        return Map.of();
    }

    @Override
    public void restore(Map<String, double[]> state) {
    }
}
