package org.eprop.envs.ale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class AleGamesTest {

    @Test
    void theListIsAle061s76RomNames() {
        assertEquals(76, AleGames.SUPPORTED.size());
        assertTrue(AleGames.SUPPORTED.containsAll(java.util.List.of("pong", "breakout", "space_invaders",
                "montezuma_revenge", "fishing_derby", "jamesbond", "kung_fu_master", "tetris", "up_n_down")));
        assertEquals(AleGames.SUPPORTED.stream().sorted().toList(), AleGames.SUPPORTED);
        assertTrue(AleGames.SUPPORTED.containsAll(AleGames.KNOWN_MD5.keySet()));
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
    }
}
