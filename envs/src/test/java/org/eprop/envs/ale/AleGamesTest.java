package org.eprop.envs.ale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class AleGamesTest {

    @Test
    void theListIsAle061s76RomNames() {
        assertEquals(76, AleGames.SUPPORTED.size());
        assertTrue(AleGames.SUPPORTED.containsAll(java.util.List.of("pong", "breakout", "space_invaders",
                "montezuma_revenge", "fishing_derby", "jamesbond", "kung_fu_master", "tetris", "up_n_down")));
        assertEquals(AleGames.SUPPORTED.stream().sorted().toList(), AleGames.SUPPORTED);
        assertTrue(AleGames.SUPPORTED.containsAll(AleGames.KNOWN_MD5.keySet()));
        assertTrue(AleGames.SUPPORTED.containsAll(AleGames.KNOWN_DUMPS.keySet()));
        assertEquals(18, AleGames.ACTION_NAMES.size());
    }

    @Test
    void usualSpellingsMapToTheAleName() {
        assertEquals("pong", AleGames.canonical("Pong"));
        assertEquals("pong", AleGames.canonical("ALE/Pong-v5"));
        assertEquals("pong", AleGames.canonical("PongNoFrameskip-v4"));
        assertEquals("pong", AleGames.canonical("atari/pong"));
        assertEquals("space_invaders", AleGames.canonical("SpaceInvaders"));
        assertEquals("space_invaders", AleGames.canonical("space-invaders"));
        assertEquals("jamesbond", AleGames.canonical("JamesBond"));
        assertEquals("robotank", AleGames.canonical("RoboTank"));
        assertEquals("up_n_down", AleGames.canonical("UpNDown"));
    }

    @Test
    void anUnknownNameIsRejectedWithTheListAndASuggestion() {
        UnsupportedGameException e = assertThrows(UnsupportedGameException.class, () -> AleGames.canonical("pongg"));
        assertEquals(Optional.of("pong"), e.suggestion());
        assertTrue(e.getMessage().contains("'pongg' is not an Atari game supported by ALE 0.6.1"), e.getMessage());
        assertTrue(e.getMessage().contains("Did you mean 'pong'?"), e.getMessage());
        assertTrue(e.getMessage().contains("Supported games (76): adventure, air_raid"), e.getMessage());
        assertEquals(Optional.of("space_invaders"), AleGames.suggest("space_invader"));
        assertEquals(Optional.of("breakout"), AleGames.suggest("braekout"));
        UnsupportedGameException far = assertThrows(UnsupportedGameException.class,
                () -> AleGames.canonical("minecraft"));
        assertTrue(far.suggestion().isEmpty());
        assertFalse(far.getMessage().contains("Did you mean"));
        assertFalse(AleGames.isSupported("mygame"));
    }

    @Test
    void knownDumpsAreRecognisedByMd5() {
        assertEquals(Optional.of("pong"), AleGames.gameOfMd5("60E0EA3CBE0913D39803477945E9E5EC"));
        assertTrue(AleGames.gameOfMd5("00000000000000000000000000000000").isEmpty());
        assertTrue(AleGames.isKnownDump("pong", "60e0ea3cbe0913d39803477945e9e5ec"));
        assertFalse(AleGames.isKnownDump("breakout", "60e0ea3cbe0913d39803477945e9e5ec"));
        // both Road Runner dumps: ALE 0.6's md5.txt and the one AutoROM / ale-py ship
        assertEquals(Set.of("2bd00beefdb424fa39931a75e890695d", "ce5cc62608be2cd3ed8abd844efb8919"),
                AleGames.KNOWN_DUMPS.get("road_runner"));
        // a dump of a game ALE 0.6.1 cannot play is still named
        assertEquals(Optional.of("combat"), AleGames.gameOfMd5("0ef64cdbecccb7049752a3de0b7ade14"));
        // the project's own cartridge is accepted as Pong, and only as Pong
        assertTrue(AleGames.isKnownDump("pong", AleGames.TEST_CARTRIDGE_MD5));
        assertEquals(Optional.of("pong"), AleGames.gameOfMd5(AleGames.TEST_CARTRIDGE_MD5));
    }

    @Test
    void everySupportedGameHasAKnownDump() {
        assertEquals(new TreeSet<>(AleGames.SUPPORTED), AleGames.KNOWN_DUMPS.keySet(),
                "a game without a known dump could only ever be loaded with allow_unknown_rom");
        for (String g : AleGames.SUPPORTED) {
            for (String md5 : AleGames.KNOWN_DUMPS.get(g)) {
                assertTrue(md5.matches("[0-9a-f]{32}"), g + ": " + md5);
                assertEquals(Optional.of(g), AleGames.gameOfMd5(md5), md5 + " belongs to one game only");
            }
        }
    }

    /**
     * The project's table holds every entry of ALE's own {@code md5.json} for the games ALE 0.6.1
     * plays, where a copy of that file lies next to the shared ROMs ({@link TestRoms}).
     */
    @Test
    void theTableCoversAlesMd5Json() throws IOException {
        Path dir = TestRoms.sharedDir();
        Path json = dir == null ? null : dir.resolve("md5.json");
        assumeTrue(json != null && Files.isRegularFile(json), "no md5.json in " + (dir != null ? dir
                : TestRoms.candidates()) + "; skipping the comparison with ALE's table");
        Matcher m = Pattern.compile("\"([a-z0-9_]+)\\.bin\"\\s*:\\s*\"([0-9a-f]{32})\"")
                .matcher(Files.readString(json));
        int supported = 0;
        int entries = 0;
        while (m.find()) {
            entries++;
            String game = m.group(1);
            String md5 = m.group(2);
            assertEquals(Optional.of(game), AleGames.gameOfMd5(md5), game + " " + md5);
            if (AleGames.isSupported(game)) {
                supported++;
                assertTrue(AleGames.isKnownDump(game, md5), game + " " + md5);
            }
        }
        assertTrue(entries >= 100, "read " + entries + " entries from " + json);
        assertEquals(76, supported, "every game of ALE 0.6.1 is in md5.json");
    }
}
