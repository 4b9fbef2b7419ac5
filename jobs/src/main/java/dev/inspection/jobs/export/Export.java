package dev.inspection.jobs.export;

import static org.apache.spark.sql.functions.col;

import dev.inspection.jobs.config.ExportArgs;
import dev.inspection.jobs.io.HadoopConf;
import dev.inspection.jobs.output.Tables;
import dev.inspection.jobs.report.DateTables;
import dev.inspection.jobs.run.RunFiles;
import java.io.IOException;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * A run date's detections, from its committed tables, in the formats review and labeling tools read: COCO, Label
 * Studio and YOLO for the still images (and a manifest's frame images), MOTChallenge for the tracked videos. Tasks
 * write the files, a picture or a part of pictures at a time: the regions never all reach the driver. The files are
 * staged beside the target folder's own and moved into it once all are written.
 */
public final class Export {

    /**
     * Pictures per file of the formats that are one JSON document (COCO, Label Studio): past this many, the export is
     * split into parts, each a whole document (about 10-20 MB for 50,000 pictures of a few regions each).
     */
    static final int PICTURES_PER_FILE = 50_000;

    /** What an export wrote. */
    public record Written(long pictures, long files) {}

    private Export() {}

    /**
     * Writes the date's detections in {@code format} into the folder {@code to}, committed through {@code files}.
     *
     * @throws DateTables.NothingToShow the date has no run recorded, its last run failed, or it has no regions
     */
    public static Written write(
            SparkSession spark, String output, LocalDate date, ExportArgs.Format format, String to, RunFiles files)
            throws IOException, DateTables.NothingToShow {
        return write(spark, output, date, format, to, files, PICTURES_PER_FILE);
    }

    /** {@link #write}, with JSON documents of at most {@code picturesPerFile} pictures each. */
    public static Written write(
            SparkSession spark,
            String output,
            LocalDate date,
            ExportArgs.Format format,
            String to,
            RunFiles files,
            int picturesPerFile)
            throws IOException, DateTables.NothingToShow {
        DateTables tables = new DateTables(spark, output, date);
        Row run = tables.lastRun();
        if (!"SUCCEEDED".equals(run.getAs("status"))) {
            throw new DateTables.NothingToShow("the last run of " + date + " (" + run.getAs("run_id") + ") failed: "
                    + run.getAs("message") + ". Its tables may hold another run's rows or none; run the date again"
                    + " (its report, scripts/report.sh, shows what it holds)");
        }
        Dataset<Row> regions = tables.rows(Tables.REGIONS);
        if (regions == null) {
            throw new DateTables.NothingToShow(
                    "the runs of " + date + " ran no detector: there is no regions table to export");
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<HadoopConf> conf =
                jsc.broadcast(new HadoopConf(spark.sparkContext().hadoopConfiguration()));
        String folder = files.staging(to).toString();
        Names names = new Names(roots(run, spark.sparkContext().hadoopConfiguration()));
        Written written = switch (format) {
            case COCO ->
                JsonDocuments.coco(pictures(regions, false), regions, folder, names, conf, date, picturesPerFile);
            case LABELSTUDIO -> JsonDocuments.labelStudio(pictures(regions, false), folder, conf, picturesPerFile);
            case YOLO -> YoloFiles.write(pictures(regions, false), regions, folder, names, conf);
            case MOT -> MotFiles.write(pictures(regions.where(col("track_id").isNotNull()), true), folder, names, conf);
        };
        files.commit(to);
        return written;
    }

    /**
     * The pictures with regions, numbered from 1 in the order of their sources, then frames: still images (and a
     * manifest's frame images), or frames of video files.
     */
    static JavaRDD<ExportedPicture> pictures(Dataset<Row> regions, boolean videoFrames) {
        return regions.select(ExportedPicture.Region.COLUMNS)
                .javaRDD()
                .map(ExportedPicture.Region::of)
                .filter(r ->
                        dev.inspection.video.VideoReader.isVideoPath(r.drawn().source()) == videoFrames)
                .groupBy(r -> sortKey(r.drawn().source(), r.drawn().frameNumber()))
                .sortByKey()
                .zipWithIndex()
                .map(Export::picture);
    }

    private static ExportedPicture picture(Tuple2<Tuple2<String, Iterable<ExportedPicture.Region>>, Long> numbered) {
        List<ExportedPicture.Region> regions = new ArrayList<>();
        numbered._1()._2().forEach(regions::add);
        regions.sort(java.util.Comparator.comparing(ExportedPicture.Region::model)
                .thenComparing(r -> -r.drawn().score())
                .thenComparing(ExportedPicture.Region::regionId));
        ExportedPicture.Region first = regions.get(0);
        return new ExportedPicture(
                numbered._2() + 1,
                first.drawn().source(),
                first.drawn().frameNumber(),
                first.width(),
                first.height(),
                regions);
    }

    /** Sorts a picture by its source, then by its frame's number. */
    private static String sortKey(String source, Long frameNumber) {
        return frameNumber == null ? source : String.format("%s#%019d", source, frameNumber);
    }

    /** The folders the run read its inputs under, as the listing names them: its inputs and its manifests' folders. */
    private static List<String> roots(Row run, org.apache.hadoop.conf.Configuration conf) throws IOException {
        java.util.Map<String, String> config = run.getJavaMap(run.fieldIndex("config"));
        List<String> roots = new ArrayList<>();
        for (String key : List.of("input", "manifest")) {
            String given = config.get(key);
            if (given == null || given.isEmpty() || given.equals("model's")) {
                continue;
            }
            for (String root : given.split(",")) {
                Path folder = key.equals("manifest") ? new Path(root).getParent() : new Path(root);
                roots.add(folder.getFileSystem(conf).makeQualified(folder).toString());
            }
        }
        return roots;
    }

    /**
     * Where a picture's files go, by its source's path under the folder the run read it from ({@code roof-7/img.jpg}),
     * as labeling tools pair images and labels; a source under none of them is named after its file, with a hash of
     * its URI ({@code img.3f2a9c1e}).
     */
    record Names(List<String> roots) implements Serializable {

        /** The source's path under its root, without extension, for a video's frame with its number. */
        String of(String source, Long frameNumber) {
            for (String root : roots) {
                String relative = dev.inspection.jobs.inspect.ImageKeys.key(root, source);
                if (relative != null) {
                    return frameNumber == null ? relative : String.format("%s.f%06d", relative, frameNumber);
                }
            }
            String copy = dev.inspection.jobs.annotate.AnnotatedCopies.fileName(source, frameNumber);
            return copy.substring(0, copy.length() - ".jpg".length());
        }
    }
}
