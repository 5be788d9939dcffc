package org.eprop.envs.ale;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The games ALE 0.6.1 knows, and their names.
 *
 * <p>ALE 0.6 picks the game rules (reward, terminal, actions) only by the ROM's file name: it
 * takes the base name up to the first '.', lower-cases it and compares it with each game's
 * {@code rom()} string. The 76 strings below are exactly those of the bundled {@code libale.so}
 * (read from its {@code <Game>Settings::rom()} functions), which match {@code src/games/Roms.cpp}
 * of ALE 0.6.1. A name outside this list makes ALE dereference a null pointer, so names are checked
 * here first.
 */
public final class AleGames {
    private AleGames() {
    }

    /** The supported names, sorted. */
    public static final List<String> SUPPORTED = List.of(
        "adventure", "air_raid", "alien", "amidar", "assault", "asterix", "asteroids", "atlantis", "bank_heist",
        "battle_zone", "beam_rider", "berzerk", "bowling", "boxing", "breakout", "carnival", "centipede",
        "chopper_command", "crazy_climber", "defender", "demon_attack", "donkey_kong", "double_dunk",
        "elevator_action", "enduro", "fishing_derby", "freeway", "frogger", "frostbite", "galaxian", "gopher",
        "gravitar", "hero", "ice_hockey", "jamesbond", "journey_escape", "kaboom", "kangaroo", "keystone_kapers",
        "king_kong", "koolaid", "krull", "kung_fu_master", "laser_gates", "lost_luggage", "montezuma_revenge",
        "mr_do", "ms_pacman", "name_this_game", "phoenix", "pitfall", "pong", "pooyan", "private_eye", "qbert",
        "riverraid", "road_runner", "robotank", "seaquest", "sir_lancelot", "skiing", "solaris", "space_invaders",
        "star_gunner", "tennis", "tetris", "time_pilot", "trondead", "turmoil", "tutankham", "up_n_down", "venture",
        "video_pinball", "wizard_of_wor", "yars_revenge", "zaxxon"
    );

    /**
     * MD5 of the cartridge dump each game was written against, as ALE 0.6's {@code md5.txt} lists it
     * (it lists none for {@code adventure} and {@code turmoil}; see {@link #KNOWN_DUMPS} for those).
     * ALE 0.6 itself only warns on a mismatch; this project refuses a file whose MD5 is not a known
     * dump of the requested game ({@link AleRoms#validate}).
     */
    public static final Map<String, String> KNOWN_MD5 = Map.ofEntries(
            Map.entry("air_raid", "35be55426c1fec32dfb503b4f0651572"),
            Map.entry("alien", "f1a0a23e6464d954e3a9579c4ccd01c8"),
            Map.entry("amidar", "acb7750b4d0c4bd34969802a7deb2990"),
            Map.entry("assault", "de78b3a064d374390ac0710f95edde92"),
            Map.entry("asterix", "89a68746eff7f266bbf08de2483abe55"),
            Map.entry("asteroids", "ccbd36746ed4525821a8083b0d6d2c2c"),
            Map.entry("atlantis", "9ad36e699ef6f45d9eb6c4cf90475c9f"),
            Map.entry("bank_heist", "00ce0bdd43aed84a983bef38fe7f5ee3"),
            Map.entry("battle_zone", "41f252a66c6301f1e8ab3612c19bc5d4"),
            Map.entry("beam_rider", "79ab4123a83dc11d468fb2108ea09e2e"),
            Map.entry("berzerk", "136f75c4dd02c29283752b7e5799f978"),
            Map.entry("bowling", "c9b7afad3bfd922e006a6bfc1d4f3fe7"),
            Map.entry("boxing", "c3ef5c4653212088eda54dc91d787870"),
            Map.entry("breakout", "f34f08e5eb96e500e851a80be3277a56"),
            Map.entry("carnival", "028024fb8e5e5f18ea586652f9799c96"),
            Map.entry("centipede", "91c2098e88a6b13f977af8c003e0bca5"),
            Map.entry("chopper_command", "c1cb228470a87beb5f36e90ac745da26"),
            Map.entry("crazy_climber", "55ef7b65066428367844342ed59f956c"),
            Map.entry("defender", "0f643c34e40e3f1daafd9c524d3ffe64"),
            Map.entry("demon_attack", "f0e0addc07971561ab80d9abe1b8d333"),
            Map.entry("donkey_kong", "36b20c427975760cb9cf4a47e41369e4"),
            Map.entry("double_dunk", "368d88a6c071caba60b4f778615aae94"),
            Map.entry("elevator_action", "71f8bacfbdca019113f3f0801849057e"),
            Map.entry("enduro", "94b92a882f6dbaa6993a46e2dcc58402"),
            Map.entry("fishing_derby", "b8865f05676e64f3bec72b9defdacfa7"),
            Map.entry("freeway", "8e0ab801b1705a740b476b7f588c6d16"),
            Map.entry("frogger", "081e2c114c9c20b61acf25fc95c71bf4"),
            Map.entry("frostbite", "4ca73eb959299471788f0b685c3ba0b5"),
            Map.entry("galaxian", "211774f4c5739042618be8ff67351177"),
            Map.entry("gopher", "c16c79aad6272baffb8aae9a7fff0864"),
            Map.entry("gravitar", "8ac18076d01a6b63acf6e2cab4968940"),
            Map.entry("hero", "fca4a5be1251927027f2c24774a02160"),
            Map.entry("ice_hockey", "a4c08c4994eb9d24fb78be1793e82e26"),
            Map.entry("jamesbond", "e51030251e440cffaab1ac63438b44ae"),
            Map.entry("journey_escape", "718ae62c70af4e5fd8e932fee216948a"),
            Map.entry("kaboom", "5428cdfada281c569c74c7308c7f2c26"),
            Map.entry("kangaroo", "4326edb70ff20d0ee5ba58fa5cb09d60"),
            Map.entry("keystone_kapers", "6c1f3f2e359dbf55df462ccbcdd2f6bf"),
            Map.entry("king_kong", "0dd4c69b5f9a7ae96a7a08329496779a"),
            Map.entry("koolaid", "534e23210dd1993c828d944c6ac4d9fb"),
            Map.entry("krull", "4baada22435320d185c95b7dd2bcdb24"),
            Map.entry("kung_fu_master", "5b92a93b23523ff16e2789b820e2a4c5"),
            Map.entry("laser_gates", "8e4cd60d93fcde8065c1a2b972a26377"),
            Map.entry("lost_luggage", "2d76c5d1aad506442b9e9fb67765e051"),
            Map.entry("montezuma_revenge", "3347a6dd59049b15a38394aa2dafa585"),
            Map.entry("mr_do", "aa7bb54d2c189a31bb1fa20099e42859"),
            Map.entry("ms_pacman", "87e79cd41ce136fd4f72cc6e2c161bee"),
            Map.entry("name_this_game", "36306070f0c90a72461551a7a4f3a209"),
            Map.entry("phoenix", "7e52a95074a66640fcfde124fffd491a"),
            Map.entry("pitfall", "3e90cf23106f2e08b2781e41299de556"),
            Map.entry("pong", "60e0ea3cbe0913d39803477945e9e5ec"),
            Map.entry("pooyan", "4799a40b6e889370b7ee55c17ba65141"),
            Map.entry("private_eye", "ef3a4f64b6494ba770862768caf04b86"),
            Map.entry("qbert", "484b0076816a104875e00467d431c2d2"),
            Map.entry("riverraid", "393948436d1f4cc3192410bb918f9724"),
            Map.entry("road_runner", "2bd00beefdb424fa39931a75e890695d"),
            Map.entry("robotank", "4f618c2429138e0280969193ed6c107e"),
            Map.entry("seaquest", "240bfbac5163af4df5ae713985386f92"),
            Map.entry("sir_lancelot", "dd0cbe5351551a538414fb9e37fc56e8"),
            Map.entry("skiing", "b76fbadc8ffb1f83e2ca08b6fb4d6c9f"),
            Map.entry("solaris", "e72eb8d4410152bdcb69e7fba327b420"),
            Map.entry("space_invaders", "72ffbef6504b75e69ee1045af9075f66"),
            Map.entry("star_gunner", "a3c1c70024d7aabb41381adbfb6d3b25"),
            Map.entry("tennis", "42cdd6a9e42a3639e190722b8ea3fc51"),
            Map.entry("tetris", "b0e1ee07fbc73493eac5651a52f90f00"),
            Map.entry("time_pilot", "fc2104dd2dadf9a6176c1c1c8f87ced9"),
            Map.entry("trondead", "fb27afe896e7c928089307b32e5642ee"),
            Map.entry("tutankham", "085322bae40d904f53bdcc56df0593fc"),
            Map.entry("up_n_down", "a499d720e7ee35c62424de882a3351b6"),
            Map.entry("venture", "3e899eba0ca8cd2972da1ae5479b4f0d"),
            Map.entry("video_pinball", "107cc025334211e6d29da0b6be46aec7"),
            Map.entry("wizard_of_wor", "7e8aa18bc9502eb57daaf5e7c1e94da7"),
            Map.entry("yars_revenge", "c5930d0e8cdae3e037349bfa08e871be"),
            Map.entry("zaxxon", "eea0da9b987d661264cce69a7c13c3bd")
    );

    /**
     * Dumps that ale-py's {@code md5.json} (the table ALE keeps today) lists for games of ALE 0.6.1
     * besides {@link #KNOWN_MD5}: the two games {@code md5.txt} has no entry for, and the other
     * Road Runner dump that AutoROM and ale-py ship (ale-py's ROM importer patches it into ALE 0.6's
     * one, so both play the same game).
     */
    private static final Map<String, String> OTHER_DUMPS = Map.of(
            "4b27f5397c442d25f0c418ccdacf1926", "adventure",
            "7a5463545dfb2dcfdafa6074b2f2c15e", "turmoil",
            "ce5cc62608be2cd3ed8abd844efb8919", "road_runner");

    /**
     * Dumps in ale-py's {@code md5.json} of games that ALE 0.6.1 does not support: only so that a
     * file holding one is named in the error instead of being called unknown.
     */
    private static final Map<String, String> UNSUPPORTED_DUMPS = Map.ofEntries(
            Map.entry("826481f6fc53ea47c9f272f7050eedf7", "atlantis2"),
            Map.entry("8556b42aa05f94bc29ff39c39b11bff4", "backgammon"),
            Map.entry("819aeeb9a2e11deb54e6de334f843894", "basic_math"),
            Map.entry("0a981c03204ac2b278ba392674682560", "blackjack"),
            Map.entry("b816296311019ab69a21cb9e9e235d12", "casino"),
            Map.entry("0ef64cdbecccb7049752a3de0b7ade14", "combat"),
            Map.entry("8cd26dcf249456fe4aeb8db42d49df74", "crossbow"),
            Map.entry("106855474c69d08c8ffa308d47337269", "darkchambers"),
            Map.entry("5aea9974b975a6a844e6df10d2b861c4", "earthworld"),
            Map.entry("6b683be69f92958abe0e2a9945157ad5", "entombed"),
            Map.entry("615a3bf251a38eb6638cdc7ffbde5480", "et"),
            Map.entry("30512e0e83903fc05541d2f6a6a62654", "flag_capture"),
            Map.entry("f16c709df0a6c52f47ff52b9d95b7d8d", "hangman"),
            Map.entry("f0a6e99f5875891246c3dbecbf2d2cea", "haunted_house"),
            Map.entry("7972e5101fa548b952d852db24ad6060", "human_cannonball"),
            Map.entry("3276c777cbe97cdd2b4a63ffc16b7151", "joust"),
            Map.entry("eed9eaf1a0b6a2b9bc4c8032cb43e3fb", "klax"),
            Map.entry("e908611d99890733be31733a979c62d8", "mario_bros"),
            Map.entry("ed2218b3075d15eaa34e3356025ccca3", "maze_craze"),
            Map.entry("df62a658496ac98a3aa4a6ee5719c251", "miniature_golf"),
            Map.entry("113cd09c9771ac278544b7e90efe7df2", "othello"),
            Map.entry("fc2233fc116faef0d3c31541717ca2db", "pacman"),
            Map.entry("6d842c96d5a01967be9680080dd5be54", "pitfall2"),
            Map.entry("b702641d698c60bcdc922dbd8c9dd49c", "space_war"),
            Map.entry("a9531c763077464307086ec9a1fd057d", "superman"),
            Map.entry("4d7517ae69f95cfbc053be01312b7dba", "surround"),
            Map.entry("0db4f4150fecf77e4ce72ca4d04c052f", "tic_tac_toe_3d"),
            Map.entry("539d26b6e9df0da8e7465f0f5ad863b7", "video_checkers"),
            Map.entry("f0b7db930ca0e548c41a97160b9f6275", "video_chess"),
            Map.entry("3f540a30fdee0b20aed7288e4a5ea528", "video_cube"),
            Map.entry("cbe5a166550a8129a5e6d374901dffad", "warlords"),
            Map.entry("ec3beb6d8b5689e867bafb5d5f507491", "word_zapper")
    );

    /**
     * MD5 of the project's own test cartridge ({@code envs/src/main/asm/pong.asm}, shipped as
     * {@link TestRom#RESOURCE}). It is no commercial dump, so no table lists it; it is accepted as
     * Pong because the project wrote it for ALE's Pong rules and tests it under them
     * ({@code TestRomTest} checks that the shipped binary has this checksum).
     */
    public static final String TEST_CARTRIDGE_MD5 = "285ed36612069491d2d3ac9f4d3b9b5e";

    /**
     * Every MD5 accepted for each supported game: {@link #KNOWN_MD5}, the other dumps ale-py's
     * {@code md5.json} lists, and for {@code pong} the project's test cartridge. This is the
     * project's own copy of ALE's table of known ROM checksums; a file whose MD5 is not here for the
     * requested game is refused unless the settings allow unknown ROMs ({@link AleRoms}).
     */
    public static final Map<String, Set<String>> KNOWN_DUMPS;

    /** ALE's 18 actions by number, as in Gymnasium's {@code get_action_meanings()}. */
    public static final List<String> ACTION_NAMES = List.of(
            "NOOP", "FIRE", "UP", "RIGHT", "LEFT", "DOWN", "UPRIGHT", "UPLEFT", "DOWNRIGHT", "DOWNLEFT",
            "UPFIRE", "RIGHTFIRE", "LEFTFIRE", "DOWNFIRE", "UPRIGHTFIRE", "UPLEFTFIRE", "DOWNRIGHTFIRE",
            "DOWNLEFTFIRE");

    /** Number of ALE actions (the full action set is 0..17). */
    public static final int FULL_ACTIONS = 18;

    private static final Map<String, String> BY_KEY = new HashMap<>();
    private static final Map<String, String> GAME_BY_MD5 = new HashMap<>();

    static {
        for (String g : SUPPORTED) {
            BY_KEY.put(key(g), g);
        }
        Map<String, Set<String>> dumps = new TreeMap<>();
        KNOWN_MD5.forEach((g, md5) -> dumps.computeIfAbsent(g, k -> new TreeSet<>()).add(md5));
        OTHER_DUMPS.forEach((md5, g) -> dumps.computeIfAbsent(g, k -> new TreeSet<>()).add(md5));
        dumps.get("pong").add(TEST_CARTRIDGE_MD5);
        Map<String, Set<String>> frozen = new TreeMap<>();
        dumps.forEach((g, set) -> frozen.put(g, Collections.unmodifiableSet(set)));
        KNOWN_DUMPS = Collections.unmodifiableMap(frozen);
        KNOWN_DUMPS.forEach((g, set) -> set.forEach(md5 -> GAME_BY_MD5.put(md5, g)));
        GAME_BY_MD5.putAll(UNSUPPORTED_DUMPS);
    }

    /**
     * The ALE name of a game written in any of the usual ways: {@code pong}, {@code Pong},
     * {@code ALE/Pong-v5}, {@code PongNoFrameskip-v4}, {@code atari/pong}, {@code SpaceInvaders},
     * {@code space-invaders}.
     *
     * @throws UnsupportedGameException naming the supported games and the closest match
     */
    public static String canonical(String name) {
        Optional<String> g = find(name);
        if (g.isPresent()) {
            return g.get();
        }
        String suggestion = suggest(name).orElse(null);
        StringBuilder m = new StringBuilder();
        m.append('\'').append(name).append("' is not an Atari game supported by ALE 0.6.1 (the version bundled "
                + "with org.bytedeco:ale 0.6.1-1.5.6).");
        if (suggestion != null) {
            m.append(" Did you mean '").append(suggestion).append("'?");
        }
        m.append(" Supported games (").append(SUPPORTED.size()).append("): ").append(String.join(", ", SUPPORTED))
                .append('.');
        throw new UnsupportedGameException(name, suggestion, m.toString());
    }

    /** The ALE name of {@code name}, if it is a supported game (see {@link #canonical}). */
    public static Optional<String> find(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(BY_KEY.get(key(strip(name))));
    }

    /** Whether {@code name} is a supported game. */
    public static boolean isSupported(String name) {
        return find(name).isPresent();
    }

    /**
     * The game whose known dump has this MD5 (any letter case), if any: a supported game, or one
     * of the games of ale-py's table that ALE 0.6.1 cannot play.
     */
    public static Optional<String> gameOfMd5(String md5) {
        return Optional.ofNullable(GAME_BY_MD5.get(md5.toLowerCase(Locale.ROOT)));
    }

    /**
     * The known dumps of {@code game} for a message: their MD5s, the project's test cartridge last
     * and named as such.
     */
    public static String describeKnownDumps(String game) {
        List<String> dumps = new ArrayList<>();
        for (String md5 : KNOWN_DUMPS.getOrDefault(game, Set.of())) {
            if (!md5.equals(TEST_CARTRIDGE_MD5)) {
                dumps.add(md5);
            }
        }
        String s = dumps.isEmpty() ? "none listed" : String.join(" or ", dumps);
        return KNOWN_DUMPS.getOrDefault(game, Set.of()).contains(TEST_CARTRIDGE_MD5)
                ? s + ", or " + TEST_CARTRIDGE_MD5 + " for the project's own test cartridge" : s;
    }

    /** Whether {@code md5} (any letter case) is a known dump of {@code game} (an ALE name). */
    public static boolean isKnownDump(String game, String md5) {
        return KNOWN_DUMPS.getOrDefault(game, Set.of()).contains(md5.toLowerCase(Locale.ROOT));
    }

    /** The supported name closest to {@code name}, if it is close enough to be a typo. */
    public static Optional<String> suggest(String name) {
        if (name == null || name.isBlank()) {
            return Optional.empty();
        }
        String k = key(strip(name));
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String g : SUPPORTED) {
            String gk = key(g);
            int d = gk.startsWith(k) || k.startsWith(gk) ? Math.abs(gk.length() - k.length()) : distance(k, gk);
            if (d < bestDistance) {
                bestDistance = d;
                best = g;
            }
        }
        int allowed = Math.max(2, k.length() / 3);
        return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    /** Removes the decorations of Gymnasium ids: a namespace, a version, "NoFrameskip", "Deterministic". */
    private static String strip(String name) {
        String s = name.trim();
        int slash = s.lastIndexOf('/');
        if (slash >= 0) {
            s = s.substring(slash + 1);
        }
        s = s.replaceFirst("-v\\d+$", "");
        s = s.replaceFirst("(NoFrameskip|Deterministic)$", "");
        return s;
    }

    /** Lower case, letters and digits only: {@code Space-Invaders} and {@code space_invaders} meet. */
    private static String key(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toLowerCase(Locale.ROOT).toCharArray()) {
            if (Character.isLetterOrDigit(c)) {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** The names of raw ALE actions. */
    public static List<String> actionNames(int[] rawActions) {
        List<String> names = new ArrayList<>(rawActions.length);
        for (int a : rawActions) {
            names.add(ACTION_NAMES.get(a));
        }
        return names;
    }
}
