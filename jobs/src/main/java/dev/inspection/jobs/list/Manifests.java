package dev.inspection.jobs.list;

import dev.inspection.jobs.config.UsageException;
import dev.inspection.jobs.work.Failure;
import dev.inspection.jobs.work.Input;
import dev.inspection.jobs.work.InputFile;
import dev.inspection.jobs.work.Origin;
import dev.inspection.video.VideoReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Manifest inputs: a CSV file (with a header) or a Parquet table whose rows name the images, frame images or videos to
 * inspect. Column {@code uri} is required (relative paths are resolved against the manifest's folder); {@code video_id},
 * {@code frame_number} and {@code frame_time_ms} are optional; every other column is metadata passed through to the
 * output rows.
 */
public final class Manifests {

    static final String URI = "uri";
    static final String VIDEO_ID = "video_id";
    static final String FRAME_NUMBER = "frame_number";
    static final String FRAME_TIME_MS = "frame_time_ms";

    private Manifests() {}

    /**
     * Reads one manifest into inputs: a row whose values are wrong becomes a rejected input with the reason, so it lands
     * in the errors table.
     *
     * @throws FileNotFoundException when the manifest does not exist
     * @throws UsageException when it has no {@code uri} column
     */
    static JavaRDD<Input> read(SparkSession spark, String manifest) throws IOException, UsageException {
        Path path = new Path(manifest);
        if (!path.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(path)) {
            throw new FileNotFoundException("--manifest " + manifest + " does not exist");
        }
        boolean csv = manifest.toLowerCase(Locale.ROOT).endsWith(".csv");
        Dataset<Row> table = csv
                ? spark.read().option("header", true).option("escape", "\"").csv(manifest) // RFC 4180: "" in quotes
                : spark.read().parquet(manifest);
        List<String> columns = new ArrayList<>(Arrays.asList(table.columns()));
        if (!columns.contains(URI)) {
            throw new UsageException("--manifest " + manifest + " has no '" + URI + "' column; its columns are "
                    + String.join(", ", columns));
        }
        Column[] asText = columns.stream()
                .map(c -> table.col("`" + c + "`").cast("string").as(c))
                .toArray(Column[]::new);
        String folder = path.getParent().toString();
        // Rows are numbered in file order, counted from 1 as a spreadsheet shows them after the header.
        return table.select(asText)
                .javaRDD()
                .zipWithIndex()
                .map(row -> entry(manifest + "#row=" + (row._2() + 1), new Path(folder), columns, row._1()));
    }

    private static Input entry(String rowName, Path folder, List<String> columns, Row row) {
        Map<String, String> values = new TreeMap<>();
        for (int c = 0; c < columns.size(); c++) {
            if (!row.isNullAt(c)) {
                values.put(columns.get(c), row.getString(c));
            }
        }
        String uri = values.remove(URI);
        String videoId = values.remove(VIDEO_ID);
        String frameNumber = values.remove(FRAME_NUMBER);
        String frameTime = values.remove(FRAME_TIME_MS);
        if (uri == null || uri.isBlank()) {
            Origin origin = new Origin(rowName, videoId, null, null, Map.copyOf(values));
            return new Input.Rejected(
                    InputFile.unknown(rowName),
                    origin,
                    new Failure("manifest", "MissingUri", "the manifest row has no uri"));
        }
        InputFile file = InputFile.unknown(resolve(folder, uri));
        Map<String, String> metadata = Map.copyOf(values);
        boolean video = VideoReader.isVideoPath(file.uri());
        Origin origin = new Origin(file.uri(), video && videoId == null ? file.uri() : videoId, null, null, metadata);
        try {
            Long number = wholeNumber(FRAME_NUMBER, frameNumber);
            Long time = wholeNumber(FRAME_TIME_MS, frameTime);
            if (video && (number != null || time != null)) {
                throw new IllegalArgumentException(
                        "frame_number and frame_time_ms name frame images; a video's frames are numbered from the video");
            }
            return video
                    ? new Input.Video(file, origin)
                    : new Input.Image(file, new Origin(file.uri(), videoId, number, time, metadata));
        } catch (IllegalArgumentException e) {
            return new Input.Rejected(
                    file, origin, new Failure("manifest", "BadManifestRow", rowName + ": " + e.getMessage()));
        }
    }

    private static final java.util.regex.Pattern SCHEME =
            java.util.regex.Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:/.*");

    /**
     * A manifest's uri as a full one: a URI with a scheme ({@code s3a://...}, {@code file:/...}) or an absolute path as it
     * is, any other value relative to the manifest's folder. The relative name is never parsed as a URI, so a camera's
     * {@code cam_2026-12-01T10:00:00.jpg} is a file name, not a scheme.
     */
    public static String resolve(Path folder, String uri) {
        if (uri.startsWith("/") || SCHEME.matcher(uri).matches()) {
            return new Path(uri).toString();
        }
        return new Path(folder, new Path(null, null, uri)).toString();
    }

    private static Long wholeNumber(String column, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long n = Long.parseLong(value.strip());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below says what was expected
        }
        throw new IllegalArgumentException(column + " must be a whole number >= 0, got '" + value + "'");
    }
}
