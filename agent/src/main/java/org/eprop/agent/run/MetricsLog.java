package org.eprop.agent.run;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The metrics of a run, one row per logged iteration, written twice: {@code metrics.csv} for
 * spreadsheets and pandas, {@code metrics.jsonl} for tools that want self-describing records.
 *
 * <p>Why both files grow in place and how that stays safe: rewriting a whole file per iteration
 * would cost O(n²), so rows are appended (one {@code write} per row and file, which reaches the OS
 * before {@link #append} returns and so survives a SIGKILL of the JVM). A kill can still leave
 * rows that were written after the last checkpoint, or a torn last line. {@link #resume} therefore
 * cuts both files back to the rows of iterations {@code <=} the checkpointed one (the resumed run
 * recomputes the later ones identically) and drops a torn line, rewriting each file atomically.
 * The resumed files continue without a gap and without a duplicate row. To survive a power cut as
 * well, call {@link #sync()} before saving the checkpoint.
 *
 * <p>Formats. Columns: the first is {@code iteration}; names must be unique, non-empty and free of
 * {@code , " \r \n}. {@code metrics.csv}: a header line of the column names joined by commas, then
 * one line per row, {@code \n}-terminated, UTF-8. The iteration is written as a decimal integer,
 * the values with {@link Double#toString(double)} (full round-trip precision, independent of the
 * locale; two identical runs on the same JVM write byte-identical files). NaN (a metric not
 * computed at that iteration) is an empty field, which pandas and spreadsheets read as missing;
 * infinities are {@code Infinity} and {@code -Infinity}. {@code metrics.jsonl}: one JSON object
 * per row with the columns as keys in column order, e.g.
 * {@code {"iteration":3,"loss":0.5,"err":null}}; numbers as in the CSV, and NaN and both
 * infinities as {@code null} (JSON has no non-finite numbers).
 */
public final class MetricsLog implements Closeable {
    private static final String ITERATION = "iteration";

    private final Path csv;
    private final Path jsonl;
    private final List<String> columns;
    private final String[] jsonKeys;
    private final FileChannel csvOut;
    private final FileChannel jsonlOut;
    private boolean hasLast;
    private long last;
    private boolean closed;

    private MetricsLog(Path csv, Path jsonl, List<String> columns, OptionalLong last) throws IOException {
        this.csv = csv;
        this.jsonl = jsonl;
        this.columns = columns;
        this.jsonKeys = new String[columns.size()];
        for (int i = 0; i < jsonKeys.length; i++) {
            jsonKeys[i] = (i == 0 ? "{\"" : ",\"")
                    + new String(JsonStringEncoder.getInstance().quoteAsString(columns.get(i))) + "\":";
        }
        this.hasLast = last.isPresent();
        this.last = last.orElse(0);
        FileChannel c = FileChannel.open(csv, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        try {
            this.jsonlOut = FileChannel.open(jsonl, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
        this.csvOut = c;
    }

    /**
     * Starts both files afresh (replacing any existing ones atomically): the CSV with its header,
     * the JSONL empty. Parent directories are created.
     */
    public static MetricsLog create(Path csv, Path jsonl, List<String> columns) throws IOException {
        List<String> cols = checkColumns(columns);
        AtomicFiles.writeString(jsonl, "");
        AtomicFiles.writeString(csv, String.join(",", cols) + "\n");
        return new MetricsLog(csv, jsonl, cols, OptionalLong.empty());
    }

    /**
     * Reopens the files of an interrupted run, keeping only the rows with
     * {@code iteration <= lastCheckpointedIteration} and dropping a torn (unterminated) last line;
     * each file is rewritten atomically. Pass a value below every iteration (e.g. -1) to keep no
     * rows.
     *
     * @throws NoSuchFileException if either file is missing
     * @throws IllegalStateException if the CSV header or a JSONL record's keys differ from {@code columns}
     * @throws IOException if a complete line is malformed, the iterations of kept rows do not
     *     increase, or the two files disagree about which iterations they hold (rows were lost)
     */
    public static MetricsLog resume(Path csv, Path jsonl, List<String> columns, long lastCheckpointedIteration)
            throws IOException {
        List<String> cols = checkColumns(columns);
        List<String> csvLines = completeLines(csv);
        List<String> jsonLines = completeLines(jsonl);
        String header = String.join(",", cols);
        if (csvLines.isEmpty() || !csvLines.get(0).equals(header)) {
            throw new IllegalStateException("cannot resume " + csv + ": its header is '"
                    + (csvLines.isEmpty() ? "" : csvLines.get(0)) + "' but the run logs columns '" + header + "'");
        }

        StringBuilder keptCsv = new StringBuilder(header).append('\n');
        List<Long> csvIterations = new ArrayList<>();
        for (int i = 1; i < csvLines.size(); i++) {
            String line = csvLines.get(i);
            String[] fields = line.split(",", -1);
            if (fields.length != cols.size()) {
                throw new IOException("malformed row at line " + (i + 1) + " of " + csv + ": " + fields.length
                        + " fields, expected " + cols.size() + ": '" + line + "'");
            }
            long iteration = parseIteration(fields[0], csv, i + 1);
            if (iteration <= lastCheckpointedIteration) {
                checkIncreasing(csvIterations, iteration, csv, i + 1);
                csvIterations.add(iteration);
                keptCsv.append(line).append('\n');
            }
        }

        ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        StringBuilder keptJson = new StringBuilder();
        List<Long> jsonIterations = new ArrayList<>();
        for (int i = 0; i < jsonLines.size(); i++) {
            String line = jsonLines.get(i);
            JsonNode node;
            try {
                node = mapper.readTree(line);
            } catch (IOException e) {
                throw new IOException("malformed record at line " + (i + 1) + " of " + jsonl + ": '" + line + "'", e);
            }
            if (node == null || !node.isObject()) {
                throw new IOException("malformed record at line " + (i + 1) + " of " + jsonl + ": '" + line + "'");
            }
            List<String> keys = new ArrayList<>();
            node.fieldNames().forEachRemaining(keys::add);
            if (!keys.equals(cols)) {
                throw new IllegalStateException("cannot resume " + jsonl + ": line " + (i + 1) + " has keys " + keys
                        + " but the run logs columns " + cols);
            }
            JsonNode it = node.get(ITERATION);
            if (!it.isIntegralNumber() || !it.canConvertToLong()) {
                throw new IOException("malformed iteration at line " + (i + 1) + " of " + jsonl + ": '" + line + "'");
            }
            long iteration = it.longValue();
            if (iteration <= lastCheckpointedIteration) {
                checkIncreasing(jsonIterations, iteration, jsonl, i + 1);
                jsonIterations.add(iteration);
                keptJson.append(line).append('\n');
            }
        }
        if (!csvIterations.equals(jsonIterations)) {
            throw new IOException("cannot resume: " + csv + " and " + jsonl + " disagree about the rows up to iteration "
                    + lastCheckpointedIteration + " (" + csvIterations.size() + " vs " + jsonIterations.size()
                    + " rows; first difference at " + firstDifference(csvIterations, jsonIterations)
                    + "); rows were lost, e.g. by a power cut without MetricsLog.sync()");
        }

        AtomicFiles.writeString(jsonl, keptJson.toString());
        AtomicFiles.writeString(csv, keptCsv.toString());
        OptionalLong lastKept = csvIterations.isEmpty() ? OptionalLong.empty()
                : OptionalLong.of(csvIterations.get(csvIterations.size() - 1));
        return new MetricsLog(csv, jsonl, cols, lastKept);
    }

    /**
     * Appends one row to both files. {@code values} holds one value per column after
     * {@code iteration}, in column order.
     *
     * @throws IllegalArgumentException if the number of values is wrong
     * @throws IllegalStateException if {@code iteration} is not greater than the last one logged, or the log is closed
     */
    public synchronized void append(long iteration, double... values) throws IOException {
        if (closed) {
            throw new IllegalStateException("metrics log " + csv + " is closed");
        }
        if (values.length != columns.size() - 1) {
            throw new IllegalArgumentException("expected " + (columns.size() - 1) + " values for columns "
                    + columns.subList(1, columns.size()) + ", got " + values.length);
        }
        if (hasLast && iteration <= last) {
            throw new IllegalStateException("iterations must increase: got " + iteration + " after " + last
                    + " in " + csv);
        }
        StringBuilder c = new StringBuilder(16 * columns.size()).append(iteration);
        StringBuilder j = new StringBuilder(32 * columns.size()).append(jsonKeys[0]).append(iteration);
        for (int i = 0; i < values.length; i++) {
            c.append(',').append(csvNumber(values[i]));
            j.append(jsonKeys[i + 1]).append(jsonNumber(values[i]));
        }
        c.append('\n');
        j.append("}\n");
        writeFully(csvOut, c.toString());
        writeFully(jsonlOut, j.toString());
        hasLast = true;
        last = iteration;
    }

    /** Forces both files to the disk; call it before saving a checkpoint to survive a power cut too. */
    public synchronized void sync() throws IOException {
        if (closed) {
            throw new IllegalStateException("metrics log " + csv + " is closed");
        }
        csvOut.force(false);
        jsonlOut.force(false);
    }

    public List<String> columns() {
        return columns;
    }

    /** The iteration of the last row in the files, if any. */
    public synchronized OptionalLong lastIteration() {
        return hasLast ? OptionalLong.of(last) : OptionalLong.empty();
    }

    public Path csvFile() {
        return csv;
    }

    public Path jsonlFile() {
        return jsonl;
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            csvOut.close();
        } finally {
            jsonlOut.close();
        }
    }

    /** A value as written to the CSV: {@link Double#toString}, NaN as an empty field. */
    static String csvNumber(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    /** A value as written to the JSONL: {@link Double#toString}, non-finite values as null. */
    static String jsonNumber(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "null";
    }

    private static List<String> checkColumns(List<String> columns) {
        Objects.requireNonNull(columns, "columns");
        List<String> cols = List.copyOf(columns);
        if (cols.isEmpty() || !cols.get(0).equals(ITERATION)) {
            throw new IllegalArgumentException("the first column must be '" + ITERATION + "': " + cols);
        }
        Set<String> seen = new HashSet<>();
        for (String c : cols) {
            if (c.isEmpty() || c.indexOf(',') >= 0 || c.indexOf('"') >= 0 || c.indexOf('\n') >= 0
                    || c.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("column names must be non-empty and free of , \" and line breaks: '"
                        + c + "'");
            }
            if (!seen.add(c)) {
                throw new IllegalArgumentException("duplicate column '" + c + "' in " + cols);
            }
        }
        return cols;
    }

    /** The {@code \n}-terminated lines of a file; an unterminated last line (torn by a kill) is dropped. */
    private static List<String> completeLines(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "cannot resume the metrics log: the file is missing");
        }
        byte[] bytes = Files.readAllBytes(file);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        List<String> lines = new ArrayList<>();
        if (end == 0) {
            return lines;
        }
        String text = new String(bytes, 0, end - 1, StandardCharsets.UTF_8);
        lines.addAll(Arrays.asList(text.split("\n", -1)));
        return lines;
    }

    private static long parseIteration(String field, Path file, int lineNo) throws IOException {
        try {
            return Long.parseLong(field);
        } catch (NumberFormatException e) {
            throw new IOException("malformed iteration '" + field + "' at line " + lineNo + " of " + file, e);
        }
    }

    private static void checkIncreasing(List<Long> kept, long iteration, Path file, int lineNo) throws IOException {
        if (!kept.isEmpty() && iteration <= kept.get(kept.size() - 1)) {
            throw new IOException("iterations do not increase at line " + lineNo + " of " + file + ": " + iteration
                    + " after " + kept.get(kept.size() - 1));
        }
    }

    private static String firstDifference(List<Long> a, List<Long> b) {
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            if (!a.get(i).equals(b.get(i))) {
                return "row " + (i + 1) + ": iteration " + a.get(i) + " vs " + b.get(i);
            }
        }
        return "row " + (n + 1);
    }

    private static void writeFully(FileChannel ch, String s) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }
}
