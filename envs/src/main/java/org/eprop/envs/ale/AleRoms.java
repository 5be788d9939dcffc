package org.eprop.envs.ale;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and checks ROM files before ALE sees them. ALE 0.6 cannot report a bad ROM: a missing file
 * ends the JVM with {@code exit(1)}, an unknown name crashes it (SIGSEGV) and a garbage image
 * hangs it in the game's reset loop. Everything is therefore checked here, in Java.
 *
 * <p>The decisive check is the checksum: a file is given to ALE only if its MD5 is a known dump of
 * the requested game ({@link AleGames#KNOWN_DUMPS}, the project's copy of ALE's table, which also
 * holds the project's own test cartridge). The content checks before it (size, archive, text, reset
 * vector) only make the message more precise: about half of all random files of a cartridge's size
 * pass them, and ALE then hangs forever. A file that passes the content checks but is not a known
 * dump is an {@link UnknownRomException}, unless the settings allow unknown ROMs
 * ({@link AleSettings#allowUnknownRom()}); such a file is then tried in a separate JVM first
 * ({@link RomProbe}) and run under a watchdog ({@link AleWatchdog}).
 *
 * <p>Search order for {@code <game>.bin} (or {@code <game>.a26}, any letter case):
 * <ol>
 *   <li>the directory configured in the settings ({@code rom_dir}), if any;</li>
 *   <li>{@code $EPROP_ROM_DIR}, if set;</li>
 *   <li>{@code ~/.eprop/roms}.</li>
 * </ol>
 * The first directory that holds such a file decides; a file that is found but fails the checks
 * is an error, not a reason to look further.
 */
public final class AleRoms {
    private static final Logger LOG = LoggerFactory.getLogger(AleRoms.class);

    /** The environment variable naming a ROM directory. */
    public static final String ENV_VAR = "EPROP_ROM_DIR";

    /** The per-user default directory, relative to the home directory. */
    public static final String USER_DIR = ".eprop/roms";

    /** Smallest and largest plausible cartridge images. */
    public static final int MIN_SIZE = 2048;
    public static final int MAX_SIZE = 65536;

    /** Where to read about obtaining ROMs (also the text appended to every ROM error). */
    public static final String HOW_TO_GET_ROMS = "How to get ROMs: ALE does not ship them. Use your own cartridge "
            + "dumps, or install them with AutoROM (pip install \"autorom[accept-rom-license]\", or AutoROM "
            + "--accept-license --install-dir DIR) or with ale-py >= 0.9 (python -c \"from ale_py import roms; "
            + "print(roms.get_rom_path('pong'))\" prints where they are). Each file must be named <game>.bin with the "
            + "ALE game name (pong.bin, space_invaders.bin, ...). Put them in the settings' rom_dir, in $" + ENV_VAR
            + ", or in ~/" + USER_DIR + ". See envs/ROMS.md.";

    private static final byte[] KIL_OPCODES = {0x02, 0x12, 0x22, 0x32, 0x42, 0x52, 0x62, 0x72, (byte) 0x92,
        (byte) 0xB2, (byte) 0xD2, (byte) 0xF2};

    private AleRoms() {
    }

    /** One place searched and what was found there. */
    public record Place(Path dir, String origin, String finding) {
        @Override
        public String toString() {
            return (dir == null ? "" : dir + " ") + "(" + origin + "): " + finding;
        }
    }

    /**
     * A ROM file that was found and passed the checks.
     *
     * @param game the ALE game name
     * @param file the file, named so that ALE recognises the game
     * @param md5 its MD5, lower-case hex
     * @param known whether it is a known dump of the game; false only where unknown ROMs were allowed
     */
    public record Rom(String game, Path file, String md5, boolean known) {
    }

    /**
     * Finds and validates the ROM of {@code game} with the process's environment and home directory;
     * a file that is not a known dump of the game is refused.
     *
     * @param game a name accepted by {@link AleGames#canonical}
     * @param configuredDir the settings' directory, or null
     * @return the checked file, named so that ALE recognises the game
     */
    public static Path resolve(String game, Path configuredDir) {
        return find(game, configuredDir, false).file();
    }

    /** {@link #resolve(String, Path)} with the environment and home directory given (for tests). */
    public static Path resolve(String game, Path configuredDir, Map<String, String> environment, Path home) {
        return find(game, configuredDir, false, environment, home).file();
    }

    /**
     * Finds and validates the ROM of {@code game} with the process's environment and home directory.
     *
     * @param allowUnknown accept a file that passes the content checks but is not a known dump
     */
    public static Rom find(String game, Path configuredDir, boolean allowUnknown) {
        return find(game, configuredDir, allowUnknown, System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /** {@link #find(String, Path, boolean)} with the environment and home directory given (for tests). */
    public static Rom find(String game, Path configuredDir, boolean allowUnknown, Map<String, String> environment,
            Path home) {
        String name = AleGames.canonical(game);
        List<Place> places = new ArrayList<>();
        List<Path> dirs = new ArrayList<>();
        String envDir = environment.get(ENV_VAR);
        Object[][] candidates = {
            {configuredDir, "rom_dir from the settings"},
            {envDir == null || envDir.isBlank() ? null : Path.of(envDir), "$" + ENV_VAR},
            {home == null ? null : home.resolve(USER_DIR), "per-user default ~/" + USER_DIR},
        };
        for (Object[] c : candidates) {
            Path dir = (Path) c[0];
            String origin = (String) c[1];
            if (dir == null) {
                places.add(new Place(null, origin, "not set"));
                continue;
            }
            dir = dir.toAbsolutePath().normalize();
            dirs.add(dir);
            if (!Files.isDirectory(dir)) {
                places.add(new Place(dir, origin, Files.exists(dir) ? "not a directory" : "directory does not exist"));
                continue;
            }
            Optional<Path> file = findIn(dir, name);
            if (file.isEmpty()) {
                places.add(new Place(dir, origin, "no " + name + ".bin or " + name + ".a26 there"));
                continue;
            }
            Path f = file.get();
            if (!Files.isRegularFile(f)) {
                places.add(new Place(dir, origin, f.getFileName() + " is not a regular file"));
                throw notFound(name, game, dirs, places);
            }
            if (!Files.isReadable(f)) {
                places.add(new Place(dir, origin, f.getFileName() + " exists but cannot be read (permissions)"));
                throw notFound(name, game, dirs, places);
            }
            return validate(name, f, allowUnknown);
        }
        throw notFound(name, game, dirs, places);
    }

    /** The file of {@code game} in {@code dir}: {@code <game>.bin} or {@code <game>.a26}, any case. */
    static Optional<Path> findIn(Path dir, String game) {
        for (String ext : new String[] {".bin", ".a26"}) {
            Path exact = dir.resolve(game + ext);
            if (Files.exists(exact)) {
                return Optional.of(exact);
            }
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                if (n.equals(game + ".bin") || n.equals(game + ".a26")) {
                    return Optional.of(p);
                }
            }
        } catch (IOException e) {
            LOG.debug("cannot list {}: {}", dir, e.toString());
        }
        return Optional.empty();
    }

    private static RomNotFoundException notFound(String name, String requested, List<Path> dirs, List<Place> places) {
        StringBuilder m = new StringBuilder();
        m.append("No ROM for the Atari game '").append(name).append('\'');
        if (!requested.equals(name)) {
            m.append(" (requested as '").append(requested).append("')");
        }
        m.append(". Looked for ").append(name).append(".bin (or ").append(name).append(".a26) in:");
        int i = 1;
        for (Place p : places) {
            m.append("\n  ").append(i++).append(". ").append(p);
        }
        m.append('\n').append(HOW_TO_GET_ROMS);
        return new RomNotFoundException(name, dirs, m.toString());
    }

    /**
     * Checks that {@code file} is a known dump of {@code game}; see {@link #validate(String, Path, boolean)}.
     *
     * @throws CorruptRomException saying what is wrong
     * @throws UnknownRomException for a plausible image that is not a known dump
     */
    public static void validate(String game, Path file) {
        validate(game, file, false);
    }

    /**
     * Checks {@code file} for {@code game}. A file whose MD5 is a known dump of the game passes at
     * once; the known dump of another game fails. Any other file must look like a cartridge: a size
     * that Atari 2600 carts have, not text or an archive, not blank, and a reset vector that points
     * into the cartridge at an instruction. Such a file is still refused unless {@code allowUnknown}.
     *
     * @param game an ALE game name
     * @param allowUnknown accept a plausible image that is not a known dump
     * @return the checked file, its MD5 and whether it is a known dump
     * @throws CorruptRomException saying what is wrong
     * @throws UnknownRomException for a plausible image that is not a known dump, unless allowed
     */
    public static Rom validate(String game, Path file, boolean allowUnknown) {
        byte[] data;
        try {
            long size = Files.size(file);
            if (size > MAX_SIZE * 4L) {
                throw corrupt(game, file, size + " bytes, far more than the largest Atari 2600 cartridge ("
                        + MAX_SIZE + " bytes)");
            }
            data = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CorruptRomException(game, file, "Cannot read the ROM file " + file + " for game '" + game + "': "
                    + e + ". " + HOW_TO_GET_ROMS);
        }
        String md5 = md5(data);
        Optional<String> knownAs = AleGames.gameOfMd5(md5);
        if (knownAs.isPresent() && !knownAs.get().equals(game)) {
            throw corrupt(game, file, "it is the known ALE dump of '" + knownAs.get() + "' (MD5 " + md5
                    + "), not of '" + game + "'; ALE picks the game rules by file name, so it would run "
                    + knownAs.get() + " with " + game + "'s rules");
        }
        if (knownAs.isPresent()) {
            return new Rom(game, file, md5, true);
        }
        String problem = problem(data);
        if (problem != null) {
            throw corrupt(game, file, problem);
        }
        if (!allowUnknown) {
            throw unknown(game, file, md5);
        }
        LOG.info("The ROM file {} is not a known dump of {} (MD5 {}); allow_unknown_rom is true, so it is tried in a "
                + "separate JVM first and then run under a watchdog", file, game, md5);
        return new Rom(game, file, md5, false);
    }

    private static UnknownRomException unknown(String game, Path file, String md5) {
        return new UnknownRomException(game, file, md5, "The ROM file " + file + " for the Atari game '" + game
                + "' is not a known dump of " + game + ": its MD5 " + md5 + " is not in ALE's table of known ROM "
                + "checksums (" + game + ": " + AleGames.describeKnownDumps(game) + "). It was not given to ALE: ALE 0.6 "
                + "hangs forever on many such files (about half of all random files of a cartridge's size pass the "
                + "other checks). Fix: use a known dump of " + game + ", or, for a cartridge image you trust (your own "
                + "dump, a hack, a PAL version), set env.params.allow_unknown_rom: true (eprop play: --set "
                + "allow_unknown_rom=true; in code AleSettings.withAllowUnknownRom(true)) to load it anyway: it is then tried in a separate "
                + "JVM first and run under a watchdog that ends the run with an error if the emulator makes no "
                + "progress. " + HOW_TO_GET_ROMS);
    }

    /** What is wrong with an image, or null when it looks like a cartridge. */
    static String problem(byte[] d) {
        int n = d.length;
        if (n == 0) {
            return "the file is empty";
        }
        if (n >= 4 && d[0] == 'P' && d[1] == 'K' && d[2] == 3 && d[3] == 4) {
            return "it is a ZIP archive (" + n + " bytes); extract the .bin file from it";
        }
        if (n >= 2 && (d[0] & 0xFF) == 0x1F && (d[1] & 0xFF) == 0x8B) {
            return "it is a gzip archive (" + n + " bytes); decompress it first";
        }
        if (!plausibleSize(n)) {
            return n + " bytes; Atari 2600 images are " + MIN_SIZE + ".." + MAX_SIZE + " bytes, a multiple of 2048 "
                    + "(2K, 4K, 8K, 12K, 16K, 32K, 64K), a Supercharger load (8448 bytes each) or a DPC image "
                    + "(10495 bytes)";
        }
        boolean uniform = true;
        int printable = 0;
        for (byte b : d) {
            uniform &= b == d[0];
            int c = b & 0xFF;
            if ((c >= 0x20 && c < 0x7F) || c == '\n' || c == '\r' || c == '\t') {
                printable++;
            }
        }
        if (uniform) {
            return "all " + n + " bytes are 0x" + HexFormat.of().toHexDigits(d[0]) + " (a blank image)";
        }
        if (printable > 0.75 * n) {
            return "it looks like a text file (" + (100 * printable / n) + "% printable characters; cartridge "
                    + "images have about 20%), e.g. an HTML error page or a Git LFS pointer";
        }
        if (n % 8448 == 0 || n == 10495) {
            return null; // Supercharger loads and DPC images keep their vectors elsewhere
        }
        return resetVectorProblem(d);
    }

    static boolean plausibleSize(int n) {
        if (n < MIN_SIZE || n > MAX_SIZE) {
            return false;
        }
        return n % 2048 == 0 || n % 8448 == 0 || n == 10495;
    }

    /**
     * The 6502 starts at the reset vector (the last 4 bytes of the address space: reset, then
     * IRQ/BRK). In some bank (the only one of a 2K/4K image, one 4K bank of a bank-switched one) it
     * must point into cartridge space (address line A12 set) at a byte that is an instruction a
     * program can start with (not BRK or a KIL/JAM opcode, not erased 0xFF).
     */
    private static String resetVectorProblem(byte[] d) {
        int bank = d.length == 2048 ? 2048 : 4096;
        String first = null;
        for (int start = 0; start + bank <= d.length; start += bank) {
            int lo = d[start + bank - 4] & 0xFF;
            int hi = d[start + bank - 3] & 0xFF;
            int vector = hi << 8 | lo;
            if ((vector & 0x1000) == 0) {
                if (first == null) {
                    first = String.format("reset vector $%04X points outside cartridge space", vector);
                }
                continue;
            }
            int opcode = d[start + (vector & (bank - 1))];
            if (isStartOpcode(opcode)) {
                return null;
            }
            if (first == null) {
                first = String.format("reset vector $%04X points at byte $%02X, which no program starts with",
                        vector, opcode & 0xFF);
            }
        }
        return "no bank has a usable reset vector (" + first + ")";
    }

    private static boolean isStartOpcode(int opcode) {
        if (opcode == 0x00 || (byte) opcode == (byte) 0xFF) {
            return false;
        }
        for (byte k : KIL_OPCODES) {
            if ((byte) opcode == k) {
                return false;
            }
        }
        return true;
    }

    private static CorruptRomException corrupt(String game, Path file, String why) {
        return new CorruptRomException(game, file, "The ROM file " + file + " for the Atari game '" + game
                + "' is not a usable Atari 2600 cartridge image: " + why + ". It was not given to ALE (ALE 0.6 "
                + "hangs or crashes on such files). " + HOW_TO_GET_ROMS);
    }

    static String md5(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
