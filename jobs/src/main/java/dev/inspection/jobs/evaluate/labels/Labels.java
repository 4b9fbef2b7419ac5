package dev.inspection.jobs.evaluate.labels;

import dev.inspection.jobs.config.UsageException;
import dev.inspection.jobs.evaluate.labels.LabelSet.Format;
import dev.inspection.jobs.io.HadoopConf;
import dev.inspection.jobs.io.Storage;
import dev.inspection.jobs.list.Listing;
import dev.inspection.jobs.work.InputFile;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * Reads what {@code --labels} points at, on any Hadoop filesystem, into a {@link LabelSet}; the layout is recognised
 * from what is there:
 *
 * <ul>
 *   <li>a folder holding {@code images/} and {@code labels/}: the Ultralytics dataset layout, split subfolders
 *       ({@code images/val2017}) included; {@code labels/<rel>.txt} is the label of {@code images/<rel>.<ext>};
 *   <li>a folder holding {@code test/}: an MVTec AD category, for anomaly models;
 *   <li>another folder: YOLO {@code .txt} labels alone, of the images under {@code --input}, matched by relative path
 *       without extension;
 *   <li>a {@code .json} file: COCO instances, whose {@code file_name}s are relative to {@code --input};
 *   <li>a {@code .csv} file of boxes ({@code file} relative to {@code --input}, or {@code uri}) or of verdicts
 *       ({@code uri}, {@code label}, optional {@code mask_uri}).
 * </ul>
 *
 * Label files are listed and read by tasks ({@link Listing}), never one by one on the driver. A class index names the
 * model's class at that position; a class name must be one of the model's. A data set's YAML ({@code data.yaml}) is not
 * read: no YAML parser is on the classpath of the job or of Spark, and the model's class list is what boxes are
 * compared with.
 */
public final class Labels {

    private Labels() {}

    /**
     * Reads the labels.
     *
     * @param labelsUri what {@code --labels} names
     * @param inputUri the folder of the images ({@code --input}), for layouts that name images relative to it (YOLO
     *     {@code .txt} alone, COCO, a box CSV by {@code file}); null where there is none
     * @param classNames the detector's classes, by index; may be null for anomaly labels
     * @throws IllegalArgumentException where the labels are of no layout read here, do not exist, or need what is not
     *     given, naming what was expected
     */
    public static LabelSet read(
            SparkSession spark,
            String labelsUri,
            String inputUri,
            List<String> classNames,
            Broadcast<HadoopConf> hadoop)
            throws IOException {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        Path path = new Path(labelsUri);
        FileSystem fs = path.getFileSystem(conf);
        FileStatus status = Storage.statusOrNull(fs, path);
        if (status == null) {
            throw new IllegalArgumentException("--labels " + labelsUri + " does not exist");
        }
        String labels = fs.makeQualified(status.getPath()).toString();
        if (status.isFile()) {
            return readFile(spark, labels, inputUri, classNames, hadoop);
        }
        if (isFolder(fs, labels, "images") && isFolder(fs, labels, "labels")) {
            String labelsRoot = child(labels, "labels");
            return LabelSet.of(
                    spark,
                    Format.ULTRALYTICS_DATASET,
                    child(labels, "images"),
                    YoloLabels.read(list(spark, labelsRoot, hadoop), labelsRoot, classes(classNames, labels), hadoop));
        }
        if (isFolder(fs, labels, "test")) {
            return mvtec(spark, fs, labels, hadoop);
        }
        JavaRDD<InputFile> files = list(spark, labels, hadoop);
        if (files.filter(f -> f.uri().toLowerCase(Locale.ROOT).endsWith(".txt")).isEmpty()) {
            throw unknownLayout(labels);
        }
        return LabelSet.of(
                spark,
                Format.YOLO_TXT,
                imagesRoot(inputUri, Format.YOLO_TXT, conf),
                YoloLabels.read(files, labels, classes(classNames, labels), hadoop));
    }

    private static LabelSet readFile(
            SparkSession spark, String labels, String inputUri, List<String> classNames, Broadcast<HadoopConf> hadoop)
            throws IOException {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        String name = labels.toLowerCase(Locale.ROOT);
        if (name.endsWith(".json")) {
            String root = imagesRoot(inputUri, Format.COCO_JSON, conf);
            return LabelSet.of(
                    spark, Format.COCO_JSON, root, CocoLabels.read(spark, labels, classes(classNames, labels)));
        }
        if (!name.endsWith(".csv")) {
            throw unknownLayout(labels);
        }
        CsvLabels.Lines lines = CsvLabels.lines(spark, labels);
        if (CsvLabels.isBoxes(lines.columns())) {
            boolean byFile = lines.columns().contains("file");
            String root = byFile ? imagesRoot(inputUri, Format.BOX_CSV, conf) : null;
            return LabelSet.of(
                    spark,
                    Format.BOX_CSV,
                    root,
                    CsvLabels.boxes(lines, labels, root, classes(classNames, labels), hadoop));
        }
        if (CsvLabels.isVerdicts(lines.columns())) {
            return LabelSet.of(spark, Format.VERDICT_CSV, null, CsvLabels.verdicts(lines, labels, hadoop));
        }
        throw new IllegalArgumentException("--labels " + labels + " has the columns " + lines.columns()
                + "; expected boxes (file or uri, class, x_min, y_min, x_max, y_max, in pixels) or verdicts (uri,"
                + " label normal/anomalous, optional mask_uri)");
    }

    private static LabelSet mvtec(SparkSession spark, FileSystem fs, String labels, Broadcast<HadoopConf> hadoop)
            throws IOException {
        String testRoot = child(labels, "test");
        String masksRoot = child(labels, "ground_truth");
        Set<String> maskedKinds = new HashSet<>();
        JavaRDD<InputFile> masks =
                JavaSparkContext.fromSparkContext(spark.sparkContext()).emptyRDD();
        if (isFolder(fs, labels, "ground_truth")) {
            // the kinds are a few folders: the driver lists them, the tasks their masks
            for (FileStatus kind : fs.listStatus(new Path(masksRoot))) {
                if (kind.isDirectory()) {
                    maskedKinds.add(kind.getPath().getName());
                }
            }
            masks = list(spark, masksRoot, hadoop);
        }
        return LabelSet.of(
                spark,
                Format.MVTEC_AD,
                testRoot,
                MvtecLabels.read(list(spark, testRoot, hadoop), testRoot, masks, masksRoot, Set.copyOf(maskedKinds)));
    }

    /** The files under a folder, listed by tasks as the inputs are. */
    private static JavaRDD<InputFile> list(SparkSession spark, String folder, Broadcast<HadoopConf> hadoop)
            throws IOException {
        try {
            return Listing.inputs(spark, List.of(folder), List.of(), hadoop).files();
        } catch (UsageException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static String imagesRoot(String inputUri, Format format, Configuration conf) throws IOException {
        if (inputUri == null) {
            throw new IllegalArgumentException("--labels of " + format.description()
                    + " name images relative to the images' folder: give it as --input");
        }
        Path input = new Path(inputUri);
        return input.getFileSystem(conf).makeQualified(input).toString();
    }

    private static List<String> classes(List<String> classNames, String labels) {
        if (classNames == null || classNames.isEmpty()) {
            throw new IllegalArgumentException(
                    "--labels " + labels + " hold boxes, which need a detector (--detector) whose classes they name");
        }
        return List.copyOf(classNames);
    }

    private static boolean isFolder(FileSystem fs, String folder, String name) throws IOException {
        FileStatus status = Storage.statusOrNull(fs, new Path(child(folder, name)));
        return status != null && status.isDirectory();
    }

    private static String child(String folder, String name) {
        return new Path(new Path(folder), name).toString();
    }

    private static IllegalArgumentException unknownLayout(String labels) {
        StringBuilder expected = new StringBuilder();
        for (Format format : Format.values()) {
            expected.append(expected.length() == 0 ? "" : "; ").append(format.description());
        }
        return new IllegalArgumentException("--labels " + labels + " is of no layout read here; expected " + expected);
    }
}
