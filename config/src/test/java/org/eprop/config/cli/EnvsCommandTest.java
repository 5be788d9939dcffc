package org.eprop.config.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code eprop envs}: the ROM-free games are listed under "Games", ahead of the ale/* list. */
class EnvsCommandTest {

    @Test
    void listsTheBuiltinGamesUnderGamesBeforeTheAtariGames() {
        PrintStream old = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = EpropCli.run("envs");
        } finally {
            System.setOut(old);
        }
        String out = buffer.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, out);
        List<String> lines = out.lines().toList();
        int games = indexOf(lines, "Games (");
        int rules = indexOf(lines, "Learning rules");
        assertTrue(lines.get(games).contains("ale/*"), "the heading says which games need a ROM: " + lines.get(games));
        int catchLine = indexOf(lines, "  toy/catch ");
        int evidenceLine = indexOf(lines, "  cue/evidence-accumulation-rl ");
        int firstAle = indexOf(lines, "  ale/");
        assertTrue(games < catchLine && games < evidenceLine, out);
        assertTrue(catchLine < firstAle && evidenceLine < firstAle, "ROM-free games first:\n" + out);
        assertTrue(firstAle < rules, out);
        assertTrue(lines.get(catchLine).contains("bsuite Catch"), lines.get(catchLine));
        assertTrue(lines.get(evidenceLine).contains("Fig. 3"), lines.get(evidenceLine));
    }

    private static int indexOf(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no line starts with '" + prefix + "' in\n" + String.join("\n", lines));
    }
}
