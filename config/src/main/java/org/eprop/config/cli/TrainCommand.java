package org.eprop.config.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.eprop.config.run.RunLauncher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train (or run a diagnostic) as a YAML run config describes, or resume an interrupted run.",
            "  eprop train config/evidence-accumulation.yaml --set training.batch=32",
            "  eprop train --resume runs/evidence-accumulation-20261128-120000"})
final class TrainCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG", description = "the run config (YAML)")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "override a config value, e.g. --set learning.feedback=symmetric (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--resume", paramLabel = "RUN_DIR", description = "continue the run in RUN_DIR from its last checkpoint")
    Path resume;

    @Option(names = "--runs-dir", paramLabel = "DIR", description = "where to create the run directory "
            + "(default: output.dir of the config)")
    Path runsDir;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<String> commandLine = new ArrayList<>();
        commandLine.add("eprop");
        commandLine.addAll(spec.commandLine().getParseResult().originalArgs());
        if (resume != null) {
            if (config != null || !overrides.isEmpty()) {
                throw new IllegalArgumentException("--resume takes the run directory only: the run continues with the "
                        + "config saved in it");
            }
            return RunLauncher.resume(resume, commandLine, System.out);
        }
        if (config == null) {
            throw new IllegalArgumentException("give a run config (e.g. config/evidence-accumulation.yaml) or --resume RUN_DIR");
        }
        return RunLauncher.start(RunLauncher.prepare(config, overrides), runsDir, commandLine, System.out);
    }
}
