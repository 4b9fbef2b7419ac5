package dev.inspection.jobs.evaluate.labels;

import dev.inspection.jobs.evaluate.labels.LabelRecord.Box;
import dev.inspection.jobs.evaluate.labels.LabelRecord.Labeled;
import dev.inspection.jobs.evaluate.labels.LabelRecord.Problem;
import dev.inspection.jobs.evaluate.labels.LabelRecord.Verdict;
import dev.inspection.jobs.inspect.ImageKeys;
import dev.inspection.jobs.io.HadoopConf;
import dev.inspection.jobs.io.Storage;
import dev.inspection.jobs.list.Manifests;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * Labels in a CSV file with a header: boxes in pixels ({@code file} or {@code uri}, {@code class}, {@code x_min},
 * {@code y_min}, {@code x_max}, {@code y_max}, as the demo's {@code labels.csv}), or verdicts of anomaly models
 * ({@code uri}, {@code label} {@code normal}/{@code anomalous}, optional {@code mask_uri}). A {@code file} is relative to
 * the images root; a {@code uri} or {@code mask_uri} is a full URI or relative to the CSV's folder, as a manifest's.
 * Rows are read by Spark's CSV reader, as text, and checked on the executors; a row is named by its line in the file
 * (the header is line 1).
 */
final class CsvLabels {

    static final List<String> BOX_COLUMNS = List.of("class", "x_min", "y_min", "x_max", "y_max");
    static final List<String> VERDICT_COLUMNS = List.of("uri", "label");

    private CsvLabels() {}

    /** The CSV's rows as text, each with its line number, and its columns. */
    record Lines(List<String> columns, JavaRDD<Tuple2<Row, Long>> rows) {}

    static Lines lines(SparkSession spark, String csv) {
        Dataset<Row> table = spark.read().option("header", true).csv(csv);
        List<String> columns =
                Arrays.stream(table.columns()).map(CsvLabels::columnName).toList();
        Column[] asText = Arrays.stream(table.columns())
                .map(c -> table.col("`" + c + "`").cast("string"))
                .toArray(Column[]::new);
        JavaRDD<Tuple2<Row, Long>> rows =
                table.select(asText).javaRDD().zipWithIndex().map(row -> new Tuple2<>(row._1(), row._2() + 2));
        return new Lines(columns, rows);
    }

    /**
     * A header's column as it is meant: {@code " Label"} is {@code label}, and a byte-order mark that a spreadsheet
     * wrote before the first column is not part of its name.
     */
    static String columnName(String header) {
        return header.replace("\uFEFF", "").strip().toLowerCase(Locale.ROOT);
    }

    /** Whether the columns are those of boxes. */
    static boolean isBoxes(List<String> columns) {
        return columns.containsAll(BOX_COLUMNS) && (columns.contains("file") || columns.contains("uri"));
    }

    static boolean isVerdicts(List<String> columns) {
        return columns.containsAll(VERDICT_COLUMNS);
    }

    /**
     * Boxes, in pixels: {@code normalized} false, to be normalized with the size of the image each names.
     *
     * @param imagesRoot the folder {@code file} names are relative to; null where the CSV names images by {@code uri}
     */
    static JavaRDD<LabelRecord> boxes(
            Lines lines, String csv, String imagesRoot, List<String> classNames, Broadcast<HadoopConf> hadoop) {
        boolean byFile = lines.columns().contains("file");
        int name = lines.columns().indexOf(byFile ? "file" : "uri");
        int[] at = BOX_COLUMNS.stream().mapToInt(lines.columns()::indexOf).toArray();
        String folder = new Path(csv).getParent().toString();
        return lines.rows().flatMap(row -> {
            Row values = row._1();
            String where = csv + " line " + row._2() + ": ";
            String image = values.getString(name);
            if (image == null || image.isBlank()) {
                return List.<LabelRecord>of(Problem.malformed(csv, where + "no " + (byFile ? "file" : "uri")))
                        .iterator();
            }
            String key = byFile
                    ? ImageKeys.withoutExtension(image.strip())
                    : qualified(
                            Manifests.resolve(new Path(folder), image.strip()),
                            hadoop.value().get());
            List<LabelRecord> records = new ArrayList<>();
            records.add(new Labeled(key, csv));
            String concept = values.getString(at[0]);
            double[] corners = new double[4];
            try {
                for (int c = 0; c < 4; c++) {
                    String field = values.getString(at[c + 1]);
                    corners[c] = YoloLabels.number(field == null ? "" : field.strip());
                }
                if (corners[2] < corners[0] || corners[3] < corners[1]) {
                    throw new IllegalArgumentException(
                            "x_max and y_max must not be less than x_min and y_min, got " + Arrays.toString(corners));
                }
            } catch (IllegalArgumentException e) {
                records.add(Problem.malformed(csv, where + e.getMessage() + " (x_min, y_min, x_max, y_max in pixels)"));
                return records.iterator();
            }
            if (concept == null || !classNames.contains(concept.strip())) {
                records.add(new Problem(
                        csv, LabelSet.UNKNOWN_CLASS, where + "class '" + concept + "' " + notAClass(classNames)));
                return records.iterator();
            }
            records.add(new Box(key, concept.strip(), corners[1], corners[0], corners[3], corners[2], false, false));
            return records.iterator();
        });
    }

    /** Verdicts, by the images' full URIs; a mask that does not exist is an error, and the verdict kept without it. */
    static JavaRDD<LabelRecord> verdicts(Lines lines, String csv, Broadcast<HadoopConf> hadoop) {
        int uri = lines.columns().indexOf("uri");
        int label = lines.columns().indexOf("label");
        int mask = lines.columns().indexOf("mask_uri");
        String folder = new Path(csv).getParent().toString();
        return lines.rows().flatMap(row -> {
            Configuration conf = hadoop.value().get();
            Row values = row._1();
            String where = csv + " line " + row._2() + ": ";
            String image = values.getString(uri);
            if (image == null || image.isBlank()) {
                return List.<LabelRecord>of(Problem.malformed(csv, where + "no uri"))
                        .iterator();
            }
            String key = qualified(Manifests.resolve(new Path(folder), image.strip()), conf);
            List<LabelRecord> records = new ArrayList<>();
            records.add(new Labeled(key, csv));
            String verdict = values.getString(label) == null
                    ? ""
                    : values.getString(label).strip().toLowerCase(Locale.ROOT);
            if (!verdict.equals("normal") && !verdict.equals("anomalous")) {
                records.add(new Problem(
                        csv,
                        LabelSet.BAD_VALUE,
                        where + "label must be 'normal' or 'anomalous', got '" + values.getString(label) + "'"));
                return records.iterator();
            }
            String maskUri = mask < 0
                            || values.getString(mask) == null
                            || values.getString(mask).isBlank()
                    ? null
                    : qualified(
                            Manifests.resolve(
                                    new Path(folder), values.getString(mask).strip()),
                            conf);
            if (maskUri != null && !exists(maskUri, conf)) {
                records.add(new Problem(csv, LabelSet.MISSING_MASK, where + "mask_uri " + maskUri + " does not exist"));
                maskUri = null;
            }
            records.add(new Verdict(key, verdict.equals("anomalous"), maskUri));
            return records.iterator();
        });
    }

    /** What a user reads when a class is not the model's: the model's classes, the first of them where many. */
    static String notAClass(List<String> classNames) {
        String named = String.join(", ", classNames.subList(0, Math.min(10, classNames.size())));
        return "is not one of the model's " + classNames.size() + " classes (" + named
                + (classNames.size() > 10 ? ", ..." : "") + ")";
    }

    /** A URI as a listing names the file ({@code fs.makeQualified}). */
    static String qualified(String uri, Configuration conf) throws IOException {
        Path path = new Path(uri);
        return path.getFileSystem(conf).makeQualified(path).toString();
    }

    private static boolean exists(String uri, Configuration conf) throws IOException {
        Path path = new Path(uri);
        return Storage.readerOf(path, conf).exists(path);
    }
}
