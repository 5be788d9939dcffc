package org.eprop.example.plugin;

import java.util.List;

/** A few-second version of delayed-match.yaml for tests, with {@code env.id} and extra params replaceable. */
final class TinyConfig {
    private TinyConfig() {
    }

    static String yaml(String envId, String extraParams) {
        return """
                # delayed-match.yaml, shrunk to run in a test
                name: tiny-delayed-match
                seed: 3
                plugins:
                  - org.eprop.example.plugin.DelayedMatchPlugin
                env:
                  id: %s
                  params:
                    sample_ms: 20
                    delay_ms: 30
                    probe_ms: 20
                    decision_ms: 20
                %s
                network:
                  lif: 10
                  alif: 10
                  dt: 1.0
                learning:
                  rule: eprop
                  feedback: random
                  optimizer:
                    id: adam
                    learning_rate: 0.01
                training:
                  batch: 4
                  max_iterations: 6
                  eval_every: 3
                  early_stopping: false
                  eval_batches: 2
                  checkpoint_every: 3
                  plot_every: 3
                """.formatted(envId, extraParams.isEmpty() ? "" : extraParams.indent(4).stripTrailing());
    }

    /** The 1-based line of the first line of {@code text} that contains {@code needle}. */
    static int lineOf(String text, String needle) {
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(needle)) {
                return i + 1;
            }
        }
        throw new AssertionError("'" + needle + "' not in\n" + text);
    }
}
