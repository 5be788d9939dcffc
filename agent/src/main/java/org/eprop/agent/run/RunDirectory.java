package org.eprop.agent.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * The directory of one training run, {@code <root>/<name>-<yyyyMMdd-HHmmss>}, and the small files
 * that describe it: {@code config.yaml}, {@code command.txt} and {@code provenance.json}.
 *
 * <p>Why: a result is only worth keeping if it can be traced back to the exact configuration,
 * command line, code version and library versions that produced it, and a run killed half way must
 * be found again and resumed. So every run gets its own directory (never reused: a name clash gets
 * {@code -2}, {@code -3}, ...), the describing files are written atomically, and
 * {@link #open(Path)} recognises a run directory by its {@code config.yaml}.
 *
 * <p>Layout: {@code config.yaml}, {@code command.txt}, {@code provenance.json},
 * {@code metrics.csv}, {@code metrics.jsonl}, {@code checkpoints/}, {@code plots/}.
 *
 * <p>On a directory obtained with {@link #open(Path)} (a resume) the files that record how the run
 * was started are not overwritten: {@link #writeCommandLine(List)} appends its line to
 * {@code command.txt}, and {@link #writeProvenance(Map)} writes {@code provenance-resume-<k>.json}
 * when {@code provenance.json} is already there.
 */
public final class RunDirectory {
    public static final String CONFIG = "config.yaml";
    public static final String COMMAND = "command.txt";
    public static final String PROVENANCE = "provenance.json";
    public static final String METRICS_CSV = "metrics.csv";
    public static final String METRICS_JSONL = "metrics.jsonl";
    public static final String CHECKPOINTS = "checkpoints";
    public static final String PLOTS = "plots";
    /** Held (an OS file lock) by the process that runs or resumes the run; it holds that process's pid. */
    public static final String LOCK = "run.lock";

    /** The libraries whose versions go into {@code provenance.json}, as {@code group:artifact}. */
    static final List<String> LIBRARIES = List.of(
            "org.nd4j:nd4j-api",
            "com.fasterxml.jackson.core:jackson-databind",
            "org.knowm.xchart:xchart",
            "com.google.inject:guice",
            "info.picocli:picocli",
            "org.bytedeco:javacpp");

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final Pattern SAFE_SHELL_WORD = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");
    private static final long GIT_TIMEOUT_SECONDS = 5;

    private final Path path;
    private final Instant startTime;
    private final boolean resumed;
    private FileChannel lockChannel;
    private FileLock lock;

    private RunDirectory(Path path, Instant startTime, boolean resumed) {
        this.path = path;
        this.startTime = startTime;
        this.resumed = resumed;
    }

    /**
     * Creates a new run directory {@code root/<name>-<yyyyMMdd-HHmmss>} (the time from
     * {@code clock}, in the clock's zone) with its {@code checkpoints/} and {@code plots/}. If that
     * directory exists, {@code -2}, {@code -3}, ... is appended; the directory is claimed with an
     * atomic create, so two runs started in the same second never share one.
     */
    public static RunDirectory create(Path root, String name, Clock clock) throws IOException {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(clock, "clock");
        if (name == null || name.isBlank() || name.contains("/") || name.contains("\\")
                || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("run name must be a plain, non-empty file name: '" + name + "'");
        }
        Instant start = clock.instant();
        String base = name + "-" + LocalDateTime.ofInstant(start, clock.getZone()).format(STAMP);
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new java.nio.file.FileSystemException(root.toString(), null, "the runs directory (output.dir or "
                    + "--runs-dir) is a file, not a directory; name a directory");
        }
        Files.createDirectories(root);
        Path dir = root.resolve(base);
        for (int suffix = 2; ; suffix++) {
            try {
                Files.createDirectory(dir);
                break;
            } catch (FileAlreadyExistsException e) {
                dir = root.resolve(base + "-" + suffix);
            }
        }
        Files.createDirectories(dir.resolve(CHECKPOINTS));
        Files.createDirectories(dir.resolve(PLOTS));
        return new RunDirectory(dir, start, false);
    }

    /** Opens an existing run directory to resume it; the session's start time is now. */
    public static RunDirectory open(Path existing) throws IOException {
        return open(existing, Clock.systemUTC());
    }

    /**
     * Opens an existing run directory to resume it, with {@code clock} giving this session's start
     * time. Fails with an {@link IllegalArgumentException} if {@code existing} is not a directory or
     * has no {@code config.yaml} (every run writes its config first). Recreates {@code checkpoints/}
     * and {@code plots/} if they are missing.
     */
    public static RunDirectory open(Path existing, Clock clock) throws IOException {
        Objects.requireNonNull(existing, "existing");
        if (!Files.isDirectory(existing)) {
            throw new IllegalArgumentException("not a run directory: " + existing + " does not exist or is not a directory");
        }
        if (!Files.isRegularFile(existing.resolve(CONFIG))) {
            throw new IllegalArgumentException("not a run directory: " + existing + " has no " + CONFIG
                    + " (every run writes its config first; was the run killed before it started?)");
        }
        Files.createDirectories(existing.resolve(CHECKPOINTS));
        Files.createDirectories(existing.resolve(PLOTS));
        return new RunDirectory(existing, clock.instant(), true);
    }

    public Path path() {
        return path;
    }

    /** When this session started: the creation time, or the time of {@link #open} on a resume. */
    public Instant startTime() {
        return startTime;
    }

    /** Whether this directory was obtained with {@link #open}, i.e. the run is being resumed. */
    public boolean isResumed() {
        return resumed;
    }

    public Path configFile() {
        return path.resolve(CONFIG);
    }

    public Path commandFile() {
        return path.resolve(COMMAND);
    }

    public Path provenanceFile() {
        return path.resolve(PROVENANCE);
    }

    public Path metricsCsv() {
        return path.resolve(METRICS_CSV);
    }

    public Path metricsJsonl() {
        return path.resolve(METRICS_JSONL);
    }

    public Path checkpoints() {
        return path.resolve(CHECKPOINTS);
    }

    public Path plots() {
        return path.resolve(PLOTS);
    }

    /** Writes {@code config.yaml} atomically (a trailing newline is added if missing). */
    public void writeConfig(String yaml) throws IOException {
        AtomicFiles.writeString(configFile(), yaml.endsWith("\n") ? yaml : yaml + "\n");
    }

    /**
     * Writes the command line to {@code command.txt} as one line of POSIX-shell-quoted words, so it
     * can be pasted back into a shell. On a resumed run the line is appended after the lines
     * already there.
     */
    public void writeCommandLine(List<String> args) throws IOException {
        String line = shellQuote(args) + "\n";
        Path file = commandFile();
        if (resumed && Files.exists(file)) {
            String before = Files.readString(file, StandardCharsets.UTF_8);
            if (!before.isEmpty() && !before.endsWith("\n")) {
                before += "\n";
            }
            line = before + line;
        }
        AtomicFiles.writeString(file, line);
    }

    /**
     * Writes {@code provenance.json} (on a resumed run that already has one:
     * {@code provenance-resume-<k>.json}, k = 1, 2, ...) and returns the file written. Keys:
     * {@code git_commit} ({@code git rev-parse HEAD} in the working directory, or {@code unknown}),
     * {@code git_dirty} (true/false from {@code git status --porcelain}, null if unknown),
     * {@code java_version}, {@code java_vendor}, {@code os}, {@code available_processors},
     * {@code start_time} (ISO-8601 UTC), {@code libraries} (group:artifact to version, for those of
     * {@link #LIBRARIES} on the classpath) and {@code extra} (the given entries, in their order).
     */
    public Path writeProvenance(Map<String, String> extra) throws IOException {
        Map<String, Object> p = provenance(startTime, extra == null ? Map.of() : extra);
        byte[] json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(p);
        byte[] withNewline = new byte[json.length + 1];
        System.arraycopy(json, 0, withNewline, 0, json.length);
        withNewline[json.length] = '\n';
        Path file = provenanceFile();
        if (resumed) {
            for (int k = 1; Files.exists(file); k++) {
                file = path.resolve("provenance-resume-" + k + ".json");
            }
        }
        AtomicFiles.write(file, withNewline);
        return file;
    }

    static Map<String, Object> provenance(Instant start, Map<String, String> extra) {
        Map<String, Object> p = new LinkedHashMap<>();
        String commit = git("rev-parse", "HEAD");
        p.put("git_commit", commit == null || commit.isBlank() ? "unknown" : commit.strip());
        String status = commit == null ? null : git("status", "--porcelain");
        p.put("git_dirty", status == null ? null : !status.isBlank());
        p.put("java_version", System.getProperty("java.version"));
        p.put("java_vendor", System.getProperty("java.vendor"));
        p.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " ("
                + System.getProperty("os.arch") + ")");
        p.put("available_processors", Runtime.getRuntime().availableProcessors());
        p.put("start_time", start.toString());
        p.put("libraries", libraryVersions());
        p.put("extra", new LinkedHashMap<>(extra));
        return p;
    }

    /**
     * Versions of {@link #LIBRARIES} found on the classpath, read from their Maven pom.properties.
     * Several jars can hold the same pom.properties (nd4j's {@code org.nd4j:jackson} shades an old
     * jackson-databind and keeps its pom.properties), so the one inside the artifact's own jar
     * ({@code <artifact>-<version>.jar}) is preferred; otherwise the first one found is used.
     */
    static Map<String, String> libraryVersions() {
        Map<String, String> versions = new LinkedHashMap<>();
        ClassLoader loader = RunDirectory.class.getClassLoader();
        for (String coordinate : LIBRARIES) {
            String[] ga = coordinate.split(":");
            String resource = "META-INF/maven/" + ga[0] + "/" + ga[1] + "/pom.properties";
            String chosen = null;
            try {
                for (URL url : Collections.list(loader.getResources(resource))) {
                    String version = version(url);
                    if (version == null) {
                        continue;
                    }
                    if (isInOwnJar(url, ga[1])) {
                        chosen = version;
                        break;
                    }
                    if (chosen == null) {
                        chosen = version;
                    }
                }
            } catch (IOException e) {
                // the classpath cannot be searched: leave the library out rather than fail the run
            }
            if (chosen != null) {
                versions.put(coordinate, chosen);
            }
        }
        return versions;
    }

    private static String version(URL url) {
        try (InputStream in = url.openStream()) {
            Properties props = new Properties();
            props.load(in);
            return props.getProperty("version");
        } catch (IOException e) {
            return null; // an unreadable entry
        }
    }

    /** Whether a {@code jar:...!/...} URL points into a jar named {@code <artifact>-...jar}. */
    private static boolean isInOwnJar(URL url, String artifact) {
        String s = url.toString();
        int bang = s.indexOf("!/");
        if (!s.startsWith("jar:") || bang < 0) {
            return false;
        }
        String jar = s.substring(0, bang);
        String jarName = jar.substring(jar.lastIndexOf('/') + 1);
        return jarName.startsWith(artifact + "-") && jarName.endsWith(".jar");
    }

    /**
     * Runs {@code git <args>} in the current working directory and returns its standard output, or
     * null if git is missing, fails (no repository) or takes longer than 5 s.
     */
    static String git(String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "git";
        System.arraycopy(args, 0, cmd, 1, args.length);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        pb.environment().put("GIT_TERMINAL_PROMPT", "0");
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            return null; // git is not installed
        }
        try {
            process.getOutputStream().close();
            // read on another thread: a large output must not block git while we wait for it
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
                try (InputStream in = process.getInputStream()) {
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    in.transferTo(bytes);
                    return bytes.toString(StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            if (!process.waitFor(GIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return null;
            }
            if (process.exitValue() != 0) {
                return null;
            }
            return out.get(GIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return null;
        } catch (IOException | ExecutionException | TimeoutException | UncheckedIOException e) {
            process.destroyForcibly();
            return null;
        }
    }

    /**
     * The words joined by spaces, each quoted for a POSIX shell where it needs it: plain words as
     * they are, others in single quotes, and words with control characters (a newline would break
     * the single line) in bash's {@code $'...'} form.
     */
    public static String shellQuote(List<String> args) {
        StringBuilder sb = new StringBuilder();
        for (String arg : args) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            if (SAFE_SHELL_WORD.matcher(arg).matches()) {
                sb.append(arg);
            } else if (arg.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                // a newline inside single quotes would break the one-line file: bash's $'...' form
                sb.append("$'");
                for (char c : arg.toCharArray()) {
                    switch (c) {
                        case '\\' -> sb.append("\\\\");
                        case '\'' -> sb.append("\\'");
                        case '\n' -> sb.append("\\n");
                        case '\r' -> sb.append("\\r");
                        case '\t' -> sb.append("\\t");
                        default -> {
                            if (c < 0x20 || c == 0x7f) {
                                sb.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
                            } else {
                                sb.append(c);
                            }
                        }
                    }
                }
                sb.append('\'');
            } else {
                sb.append('\'').append(arg.replace("'", "'\\''")).append('\'');
            }
        }
        return sb.toString();
    }

    /**
     * Takes the run's lock ({@value #LOCK}, an OS file lock, released when this process ends however
     * it ends) and writes this process's pid into it, so that a second process cannot resume a run
     * that is running or resuming: it is told which process holds the run.
     *
     * @throws IllegalStateException naming the holder's pid when another process holds the lock
     */
    public synchronized void lock() throws IOException {
        if (lock != null) {
            return;
        }
        Path file = path.resolve(LOCK);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock taken;
        try {
            taken = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            taken = null;
        }
        if (taken == null) {
            String holder = "";
            try {
                ByteBuffer buf = ByteBuffer.allocate(64);
                int n = channel.read(buf, 0);
                holder = n > 0 ? new String(buf.array(), 0, n, StandardCharsets.UTF_8).strip() : "";
            } finally {
                channel.close();
            }
            throw new IllegalStateException(path + " is in use by process " + (holder.isEmpty() ? "(unknown pid)"
                    : holder) + ", which is running or resuming this run; wait for it to end (or stop it) "
                    + "before resuming");
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(true);
        lockChannel = channel;
        lock = taken;
    }

    /** Releases the lock of {@link #lock()}, if held. */
    public synchronized void unlock() throws IOException {
        if (lock != null) {
            lock.release();
            lockChannel.close();
            lock = null;
            lockChannel = null;
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
