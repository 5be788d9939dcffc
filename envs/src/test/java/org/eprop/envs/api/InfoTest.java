package org.eprop.envs.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Fixed and reusable infos: the same reading, numbers kept unboxed, copies that outlive a refill. */
class InfoTest {
    private static final Info.Key<String> NAME = Info.Key.of("name", String.class);

    @Test
    void aReusableInfoIsRefilledInPlaceAndReadLikeAFixedOne() {
        Info info = Info.reusable();
        info.setInt(InfoKeys.LIVES, 3).setLong(InfoKeys.FRAME_NUMBER, 1L << 40)
                .setDouble(InfoKeys.RAW_REWARD, -1.5).set(NAME, "pong");
        assertEquals(3, info.getInt(InfoKeys.LIVES, -1));
        assertEquals(1L << 40, info.getLong(InfoKeys.FRAME_NUMBER, -1));
        assertEquals(-1.5, info.getDouble(InfoKeys.RAW_REWARD, 0), 0.0);
        assertEquals(Optional.of(-1.5), info.get(InfoKeys.RAW_REWARD), "boxed when read generically");
        assertEquals(3, info.require(InfoKeys.LIVES));
        assertEquals(Map.of("lives", 3, "frame_number", 1L << 40, "raw_reward", -1.5, "name", "pong"), info.asMap());
        assertEquals(7.0, info.getDouble(InfoKeys.EPISODE_RETURN, 7.0), 0.0, "absent: the default");

        Info kept = info.copy();
        info.clear().setInt(InfoKeys.LIVES, 2);
        assertEquals(1, info.size());
        assertEquals(2, info.getInt(InfoKeys.LIVES, -1));
        assertFalse(info.has(NAME));
        assertEquals(3, kept.getInt(InfoKeys.LIVES, -1), "the copy keeps the values it had");
        assertEquals("pong", kept.require(NAME));
        assertFalse(kept.isReusable());
        assertThrows(UnsupportedOperationException.class, () -> kept.setInt(InfoKeys.LIVES, 1), "a copy is fixed");
    }

    @Test
    void setAllStartsFromAnotherInfoAndKeysMatchByNameAndType() {
        Info fixed = Info.builder().put(InfoKeys.LIVES, 5).put(NAME, "x").build();
        Info mine = Info.reusable().setBoolean(Info.Key.of("cut", Boolean.class), true);
        mine.setAll(fixed).setDouble(InfoKeys.RAW_REWARD, 2.0);
        assertEquals(3, mine.size(), "setAll replaces what was there");
        assertEquals(5, mine.getInt(Info.Key.of("lives", Integer.class), -1), "a key declared again is the same key");
        assertFalse(mine.has(Info.Key.of("lives", Long.class)), "but not with another type");
        assertEquals(2.0, mine.getDouble(InfoKeys.RAW_REWARD, 0), 0.0);
        assertThrows(UnsupportedOperationException.class, () -> fixed.setInt(InfoKeys.LIVES, 1));
        assertThrows(UnsupportedOperationException.class, () -> Info.empty().clear());
        assertEquals(Optional.empty(), Info.empty().get(InfoKeys.LIVES));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> fixed.require(InfoKeys.RAW_REWARD));
        assertTrue(e.getMessage().contains("[lives, name]"), e.getMessage());
    }

    @Test
    void aCopyCopiesTheInfosInsideIt() {
        Info.Key<Info> inner = Info.Key.of("final_info", Info.class);
        Info last = Info.reusable().setInt(InfoKeys.LIVES, 1);
        Info info = Info.reusable().set(inner, last);
        Info kept = info.copy();
        last.setInt(InfoKeys.LIVES, 0);
        assertNotSame(last, kept.require(inner));
        assertEquals(1, kept.require(inner).getInt(InfoKeys.LIVES, -1));
        assertSame(kept, kept.copy(), "a fixed info is its own copy");
    }
}
