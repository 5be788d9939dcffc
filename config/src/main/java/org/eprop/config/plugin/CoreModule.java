package org.eprop.config.plugin;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import org.eprop.agent.Agent;
import org.eprop.agent.actorcritic.ActorCriticAgent;
import org.eprop.envs.ale.AleEnvironments;
import org.eprop.envs.registry.BuiltinGames;
import org.eprop.envs.registry.BuiltinTasks;
import org.eprop.envs.registry.EnvSpec;
import org.eprop.learning.gradient.FastEprop;
import org.eprop.learning.gradient.LearningRule;
import org.eprop.learning.gradient.OnlineEprop;
import org.eprop.learning.gradient.ReverseMode;
import org.eprop.supervised.agent.DiagnosticAgent;
import org.eprop.supervised.agent.SupervisedAgent;
import org.eprop.supervised.agent.TimitAgent;
import org.eprop.supervised.timit.TimitEnvironments;

/** The environments, learning rules and agents that ship with the project. */
public final class CoreModule extends AbstractModule {

    @Override
    protected void configure() {
        MapBinder<String, EnvSpec<?>> envs = Bindings.environments(binder());
        for (EnvSpec<?> spec : BuiltinTasks.all()) {
            envs.addBinding(spec.id()).toInstance(spec);
        }
        BuiltinGames.all().forEach(spec -> envs.addBinding(spec.id()).toInstance(spec));
        for (EnvSpec<?> spec : TimitEnvironments.all()) {
            envs.addBinding(spec.id()).toInstance(spec);
        }
        for (EnvSpec<?> spec : AleEnvironments.all()) {
            envs.addBinding(spec.id()).toInstance(spec);
        }
        MapBinder<String, LearningRule> rules = Bindings.learningRules(binder());
        for (LearningRule rule : new LearningRule[] {
            new LearningRule("eprop", "e-prop by backward scans (exact eq. 25 gradient, the fast default)",
                    FastEprop::new),
            new LearningRule("eprop-online", "e-prop with eligibility traces carried forward (online form)",
                    d -> new OnlineEprop(d.precision())),
            new LearningRule("eprop-autodiff", "reverse mode with the recurrent and reset paths cut (autodiff e-prop)",
                    ReverseMode::cutPath),
            new LearningRule("bptt", "backpropagation through time (true gradient)", ReverseMode::bptt)}) {
            rules.addBinding(rule.id()).toInstance(rule);
        }
        MapBinder<String, Agent<?>> agents = Bindings.agents(binder());
        agents.addBinding(SupervisedAgent.ID).to(SupervisedAgent.class);
        agents.addBinding(DiagnosticAgent.ID).to(DiagnosticAgent.class);
        agents.addBinding(TimitAgent.ID).to(TimitAgent.class);
        agents.addBinding(ActorCriticAgent.ID).to(ActorCriticAgent.class);
    }
}
