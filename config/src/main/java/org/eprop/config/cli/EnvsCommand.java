package org.eprop.config.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.eprop.config.plugin.Plugins;
import org.eprop.config.plugin.Registry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "envs", mixinStandardHelpOptions = true,
        description = "List the registered environments (one line each), learning rules and agents, plugins included.")
final class EnvsCommand implements Callable<Integer> {

    @Option(names = "--plugin", paramLabel = "CLASS", description = "also load this plugin class (repeatable)")
    List<String> plugins = new java.util.ArrayList<>();

    @Override
    public Integer call() {
        Registry r = Plugins.registry(plugins);
        int width = r.tasks().keySet().stream().mapToInt(String::length).max().orElse(10) + 2;
        System.out.println("Environments (env.id):");
        r.tasks().forEach((id, f) -> System.out.printf("  %-" + width + "s%s%n", id, f.description()));
        System.out.println("Game environments (for 'eprop play'; ROM <game>.bin needed, see README):");
        r.environments().forEach((id, f) -> System.out.printf("  %-" + width + "s%s%n", id, f.description()));
        System.out.println("Learning rules (learning.rule):");
        r.rules().forEach((id, rule) -> System.out.printf("  %-" + width + "s%s%n", id, rule.description()));
        System.out.println("Agents (agent):");
        r.agents().forEach((id, a) -> System.out.printf("  %-" + width + "s%s%n", id, a.description()));
        return 0;
    }
}
