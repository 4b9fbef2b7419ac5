package dev.inspection.jobs.output;

import static org.apache.spark.sql.functions.col;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * What a run's inspection rows hold, counted in one Spark job: the figures of its {@code runs} row, and how many rows
 * each table of the date gets, so that a table with none is written without a Spark job and no table is scanned to find
 * out. The job is the one that fills the cache of the inspections, so counting costs no pass of its own.
 *
 * <p>Sums are combined per task before the shuffle; only the distinct inputs (videos, failed inputs) travel by name,
 * one key each, to be counted after it: the driver gets a few figures per task, never a name.
 *
 * @param images still images (and manifest frame images) inspected
 * @param videos video files with at least one frame inspected
 * @param frames frames sampled from video files and inspected
 * @param failedInputs inputs with at least one error row
 * @param errorRows rows of the errors table
 * @param verdicts rows of image_scores and of heatmap_summaries: one per inspected image and anomaly model
 * @param regionsPerConcept rows of the regions table by concept, sorted by concept
 * @param anomalousPerModel images and frames judged anomalous, by anomaly model, sorted by model
 */
public record RunCounts(
        long images,
        long videos,
        long frames,
        long failedInputs,
        long errorRows,
        long verdicts,
        Map<String, Long> regionsPerConcept,
        Map<String, Long> anomalousPerModel)
        implements Serializable {

    private static final String IMAGES = "images";
    private static final String FRAMES = "frames";
    private static final String ERRORS = "errors";
    private static final String VERDICTS = "verdicts";
    /** Keys of a kind and a name, summed: regions by concept, anomalous verdicts by model. */
    private static final String CONCEPT = "concept\u0000";

    private static final String ANOMALOUS = "anomalous\u0000";
    /** Keys of a kind and an input, counted once each after the shuffle. */
    private static final String VIDEO = "video\u0000";

    private static final String FAILED = "failed\u0000";

    /** Rows of the regions table. */
    public long regions() {
        return regionsPerConcept.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Counts the inspection rows: one Spark job, its shuffle spread over {@code partitions} tasks.
     *
     * @param inspections the rows of {@link Tables#INSPECTION}, one per image or frame and one per failure
     */
    public static RunCounts of(Dataset<Row> inspections, int partitions) {
        List<Map<String, Long>> perTask = inspections
                .select(
                        col("source_uri"),
                        col("from_video"),
                        col("error_stage").isNotNull(),
                        col("regions.concept_name"),
                        col("anomalies.model_name"),
                        col("anomalies.is_anomalous"))
                .javaRDD()
                .mapPartitionsToPair(rows -> keys(rows).iterator())
                .reduceByKey(Long::sum, Math.max(1, partitions))
                .mapPartitions(counted -> List.of(tally(counted)).iterator())
                .collect();
        Map<String, Long> all = new HashMap<>();
        perTask.forEach(task -> task.forEach((key, n) -> all.merge(key, n, Long::sum)));
        return new RunCounts(
                all.getOrDefault(IMAGES, 0L),
                all.getOrDefault(VIDEO, 0L),
                all.getOrDefault(FRAMES, 0L),
                all.getOrDefault(FAILED, 0L),
                all.getOrDefault(ERRORS, 0L),
                all.getOrDefault(VERDICTS, 0L),
                named(all, CONCEPT),
                named(all, ANOMALOUS));
    }

    /** One task's keys, its sums already combined: a key per kind and name, and one per video and failed input. */
    private static List<Tuple2<String, Long>> keys(java.util.Iterator<Row> rows) {
        Map<String, Long> sums = new HashMap<>();
        List<Tuple2<String, Long>> keys = new ArrayList<>();
        while (rows.hasNext()) {
            Row row = rows.next();
            String uri = row.getString(0);
            if (row.getBoolean(2)) {
                sums.merge(ERRORS, 1L, Long::sum);
                if (uri != null) {
                    keys.add(new Tuple2<>(FAILED + uri, 1L));
                }
                continue;
            }
            if (Boolean.TRUE.equals(row.get(1))) {
                sums.merge(FRAMES, 1L, Long::sum);
                if (uri != null) {
                    keys.add(new Tuple2<>(VIDEO + uri, 1L));
                }
            } else if (Boolean.FALSE.equals(row.get(1))) {
                sums.merge(IMAGES, 1L, Long::sum);
            }
            if (!row.isNullAt(3)) {
                for (Object concept : row.getList(3)) {
                    sums.merge(CONCEPT + concept, 1L, Long::sum);
                }
            }
            if (!row.isNullAt(4)) {
                List<Object> models = row.getList(4);
                List<Object> anomalous = row.getList(5);
                sums.merge(VERDICTS, (long) models.size(), Long::sum);
                for (int i = 0; i < models.size(); i++) {
                    if (Boolean.TRUE.equals(anomalous.get(i))) {
                        sums.merge(ANOMALOUS + models.get(i), 1L, Long::sum);
                    }
                }
            }
        }
        sums.forEach((key, n) -> keys.add(new Tuple2<>(key, n)));
        return keys;
    }

    /** What one task after the shuffle counted: sums as they are, distinct inputs as how many of each kind. */
    private static Map<String, Long> tally(java.util.Iterator<Tuple2<String, Long>> counted) {
        Map<String, Long> tally = new HashMap<>();
        while (counted.hasNext()) {
            Tuple2<String, Long> key = counted.next();
            if (key._1().startsWith(VIDEO)) {
                tally.merge(VIDEO, 1L, Long::sum);
            } else if (key._1().startsWith(FAILED)) {
                tally.merge(FAILED, 1L, Long::sum);
            } else {
                tally.merge(key._1(), key._2(), Long::sum);
            }
        }
        return tally;
    }

    /** The sums of one kind by name, sorted. */
    private static Map<String, Long> named(Map<String, Long> all, String kind) {
        Map<String, Long> named = new TreeMap<>();
        all.forEach((key, n) -> {
            if (key.startsWith(kind)) {
                named.put(key.substring(kind.length()), n);
            }
        });
        return named;
    }
}
