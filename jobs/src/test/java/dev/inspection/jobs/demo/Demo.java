package dev.inspection.jobs.demo;

import dev.inspection.jobs.DemoVideos;
import dev.inspection.jobs.EmbeddedS3;
import dev.inspection.jobs.InspectionJob;
import dev.inspection.jobs.config.InspectArgs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * {@code scripts/demo.sh}: the inspection end to end on the embedded default. An S3 server in this JVM, the bundled
 * circuit-board photos, a conveyor video of boards recorded here, the demo detector and demo anomaly model uploaded
 * to it, the job in Spark local mode reading and writing s3a://.
 */
public final class Demo {

    public static void main(String[] argv) throws Exception {
        Path demo = Path.of(argv.length > 0 ? argv[0] : "jobs/demo");
        String runDate = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        try (EmbeddedS3 s3 = EmbeddedS3.start()) {
            s3.createBucket("demo");
            List<Path> images;
            try (var files = Files.list(demo.resolve("images"))) {
                images = files.sorted().toList();
            }
            for (Path image : images) {
                s3.put("demo", "boards/" + image.getFileName(), Files.readAllBytes(image));
            }
            s3.put("demo", "models/pcb-detector.onnx", Files.readAllBytes(demo.resolve("models/pcb-detector.onnx")));
            s3.put("demo", "models/pcb-anomaly.onnx", Files.readAllBytes(demo.resolve("models/pcb-anomaly.onnx")));
            Path video = Files.createTempFile("conveyor", ".mp4");
            DemoVideos.conveyor(video, false);
            s3.put("demo", "boards/video/conveyor.mp4", Files.readAllBytes(video));
            Files.delete(video);
            System.out.printf(
                    "S3 server at %s: %d board photos and a 6 s conveyor video in s3a://demo/boards/%n",
                    s3.endpoint(), images.size());

            SparkSession.Builder builder = SparkSession.builder()
                    .master(System.getProperty("spark.master", "local[*]"))
                    .appName("inspection demo");
            s3.s3aSettings().forEach((k, v) -> builder.config("spark.hadoop." + k, v));
            SparkSession spark = builder.config("spark.ui.enabled", "false").getOrCreate();
            try {
                InspectArgs args = InspectArgs.parse(
                        "--input",
                        "s3a://demo/boards",
                        "--detector",
                        "s3a://demo/models/pcb-detector.onnx",
                        "--anomaly",
                        "s3a://demo/models/pcb-anomaly.onnx",
                        "--output",
                        "s3a://demo/inspections",
                        "--run-date",
                        runDate,
                        "--report");
                InspectionJob.Result result = new InspectionJob(spark, args).execute();
                System.out.println();
                System.out.println(InspectionJob.summary(result));
                System.out.println("\nTop regions in s3a://demo/inspections/regions/run_date=" + runDate + ":");
                spark.read()
                        .parquet("s3a://demo/inspections/regions")
                        .selectExpr(
                                "regexp_extract(source_uri, '[^/]+$', 0) AS image",
                                "concept_name",
                                "round(score, 3) AS score",
                                "round(top_row, 3) AS top_row",
                                "round(left_col, 3) AS left_col",
                                "round(bottom_row, 3) AS bottom_row",
                                "round(right_col, 3) AS right_col")
                        .where("frame_number IS NULL")
                        .orderBy("image", "left_col")
                        .show(8, false);
                System.out.println("The conveyor video, one frame a second (regions and image_scores):");
                spark.read().parquet("s3a://demo/inspections/regions").createOrReplaceTempView("regions");
                spark.read().parquet("s3a://demo/inspections/image_scores").createOrReplaceTempView("image_scores");
                spark.sql(
                                "SELECT s.frame_number, s.frame_time_ms, count(r.region_id) AS regions,"
                                        + " concat_ws(' ', sort_array(collect_list(r.concept_name))) AS parts,"
                                        + " round(first(s.score), 3) AS anomaly_score, first(s.is_anomalous) AS is_anomalous"
                                        + " FROM image_scores s LEFT JOIN regions r ON r.run_id = s.run_id AND r.source_uri = s.source_uri"
                                        + " AND r.frame_number = s.frame_number"
                                        + " WHERE s.video_id IS NOT NULL GROUP BY s.frame_number, s.frame_time_ms ORDER BY s.frame_number")
                        .show(false);
                System.out.println("Most anomalous boards (image_scores with heatmap_summaries):");
                spark.read().parquet("s3a://demo/inspections/heatmap_summaries").createOrReplaceTempView("heatmaps");
                spark.sql("SELECT regexp_extract(s.source_uri, '[^/]+$', 0) AS image, round(s.score, 3) AS score,"
                                + " s.is_anomalous, h.blob_count, round(h.anomalous_area_fraction, 4) AS area,"
                                + " regexp_extract(h.heatmap_uri, '[^/]+$', 0) AS overlay"
                                + " FROM image_scores s JOIN heatmaps h USING (run_id, source_uri, model_name)"
                                + " WHERE s.frame_number IS NULL ORDER BY s.score DESC")
                        .show(8, false);
                // The report lives in the bucket, which goes with this JVM: a copy on the local disk to open.
                Path report = demo.toAbsolutePath().getParent().resolve("target/demo-report");
                org.apache.hadoop.fs.Path reported = new org.apache.hadoop.fs.Path(result.report()).getParent();
                org.apache.hadoop.fs.FileUtil.fullyDelete(report.toFile());
                org.apache.hadoop.fs.FileUtil.copy(
                        reported.getFileSystem(spark.sparkContext().hadoopConfiguration()),
                        reported,
                        report.toFile(),
                        false,
                        spark.sparkContext().hadoopConfiguration());
                System.out.println("The night's report (" + result.report() + "), copied to open in a browser:");
                System.out.println("  " + report.resolve("index.html").toUri());
            } finally {
                spark.stop();
            }
        }
    }
}
