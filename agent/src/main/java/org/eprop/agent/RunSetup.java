package org.eprop.agent;

import java.util.Objects;
import org.eprop.agent.spec.LearningSpec;
import org.eprop.agent.spec.NetworkSpec;
import org.eprop.agent.spec.TrainingSpec;
import org.eprop.envs.registry.BoundEnv;
import org.eprop.learning.gradient.LearningRule;

/**
 * A run config with every id resolved: what an agent needs to know before it starts.
 *
 * @param name the run's name
 * @param seed seeds everything random in the run
 * @param env the environment with its parameters bound
 * @param network the recurrent spiking network
 * @param learning the learning rule, learning signal, optimiser and regularisation
 * @param rule the gradient method that {@code learning.rule} names
 * @param training the training loop's budget and cadence
 */
public record RunSetup(String name, long seed, BoundEnv<?> env, NetworkSpec network, LearningSpec learning,
        LearningRule rule, TrainingSpec training) {

    public RunSetup {
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(learning, "learning");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(training, "training");
    }
}
