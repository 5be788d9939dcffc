package org.eprop.config.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.eprop.config.plugin.Plugins;
import org.eprop.config.plugin.Registry;
import org.eprop.envs.registry.DiagnosticSpec;
import org.eprop.envs.registry.GameSpec;
import org.eprop.envs.registry.TaskSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "envs", mixinStandardHelpOptions = true,
        description = "List the registered environments (one line each), learning rules and agents, plugins included.")
final class EnvsCommand implements Callable<Integer> {

    @Option(names = "--plugin", paramLabel = "CLASS", description = "also load this plugin class (repeatable)")
    List<String> plugins = new ArrayList<>();

    @Override
    public Integer call() {
        Registry r = Plugins.registry(plugins);
        int width = Stream.concat(r.environments().keySet().stream().filter(id -> !id.startsWith("ale/")),
                Stream.of("ale/test-pong")).mapToInt(String::length).max().orElse(10) + 2;
        String row = "  %-" + width + "s%s%n";
        System.out.println("Supervised tasks (env.id):");
        r.environments().values().stream().filter(TaskSpec.class::isInstance)
                .forEach(s -> System.out.printf(row, s.id(), s.description()));
        System.out.println("Diagnostics (env.id; agent 'diagnostic'):");
        r.environments().values().stream().filter(DiagnosticSpec.class::isInstance)
                .forEach(s -> System.out.printf(row, s.id(), s.description()));
        System.out.println("Games (env.id; ale/* need the ROM <game>.bin, see README, and 'eprop play' plays them):");
        // The few ROM-free games first, so they are not lost after the long ale/* list.
        r.environments().values().stream().filter(GameSpec.class::isInstance).filter(s -> !s.id().startsWith("ale/"))
                .forEach(s -> System.out.printf(row, s.id(), s.description()));
        r.environments().values().stream().filter(GameSpec.class::isInstance).filter(s -> s.id().startsWith("ale/"))
                .forEach(s -> System.out.printf(row, s.id(), s.description()));
        System.out.println("Learning rules (learning.rule):");
        r.rules().forEach((id, rule) -> System.out.printf(row, id, rule.description()));
        System.out.println("Agents (agent.id):");
        r.agents().forEach((id, a) -> System.out.printf(row, id, a.description()));
        return 0;
    }
}
