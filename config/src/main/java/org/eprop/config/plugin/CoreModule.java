package org.eprop.config.plugin;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import org.eprop.config.agent.DiagnosticAgent;
import org.eprop.config.agent.SupervisedAgent;
import org.eprop.envs.ale.AleEnvironments;
import org.eprop.envs.registry.BuiltinTasks;
import org.eprop.envs.registry.EnvFactory;
import org.eprop.envs.registry.TaskFactory;
import org.eprop.learning.gradient.FastEprop;
import org.eprop.learning.gradient.OnlineEprop;
import org.eprop.learning.gradient.ReverseMode;

/** The environments, learning rules and agents that ship with the project. */
public final class CoreModule extends AbstractModule {

    @Override
    protected void configure() {
        MapBinder<String, TaskFactory<?>> tasks = Bindings.tasks(binder());
        for (TaskFactory<?> f : BuiltinTasks.all()) {
            tasks.addBinding(f.id()).toInstance(f);
        }
        MapBinder<String, EnvFactory<?>> games = Bindings.environments(binder());
        for (EnvFactory<?> f : AleEnvironments.all()) {
            games.addBinding(f.id()).toInstance(f);
        }
        MapBinder<String, LearningRule> rules = Bindings.learningRules(binder());
        rules.addBinding("eprop").toInstance(LearningRule.of("eprop",
                "e-prop by backward scans (exact eq. 25 gradient, the fast default)", FastEprop::new));
        rules.addBinding("eprop-online").toInstance(LearningRule.of("eprop-online",
                "e-prop with eligibility traces carried forward (online form)", d -> new OnlineEprop(d.precision())));
        rules.addBinding("eprop-autodiff").toInstance(LearningRule.of("eprop-autodiff",
                "reverse mode with the recurrent and reset paths cut (autodiff e-prop)", ReverseMode::cutPath));
        rules.addBinding("bptt").toInstance(LearningRule.of("bptt", "backpropagation through time (true gradient)",
                ReverseMode::bptt));
        MapBinder<String, org.eprop.config.agent.Agent> agents = Bindings.agents(binder());
        agents.addBinding(SupervisedAgent.ID).to(SupervisedAgent.class);
        agents.addBinding(DiagnosticAgent.ID).to(DiagnosticAgent.class);
    }
}
