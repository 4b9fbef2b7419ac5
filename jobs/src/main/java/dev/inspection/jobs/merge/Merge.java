package dev.inspection.jobs.merge;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.size;

import dev.inspection.detect.Detection;
import dev.inspection.jobs.inspect.InspectionRows;
import dev.inspection.jobs.output.RowBuilder;
import dev.inspection.jobs.output.Tables;
import dev.inspection.jobs.work.Origin;
import dev.inspection.tile.TileMerge;
import dev.inspection.tile.Tiling;
import dev.inspection.track.Tracking;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The step after inference that spans several tasks: what the tasks inspected in parts is put back together here,
 * once per input, before the tables are written. A still image and a video segment are whole in their task and pass
 * through as they are; a tiled photo's rows (one per tile, one for the whole photo, from one task or several) become
 * one row with its detections merged per model; with tracking, a video's tracks are joined across its segments'
 * borders.
 */
public final class Merge {

    private Merge() {}

    /**
     * The inspection rows, one per image or frame and one per failure, from the rows of the tasks; with tracking, a
     * video's tracks joined across its segments' borders.
     */
    public static Dataset<Row> inspections(Dataset<Row> taskRows, Tiling tiling, Tracking tracking) {
        Dataset<Row> rows = inspections(taskRows, tiling);
        return tracking.enabled() ? tracksAcrossBorders(rows) : rows;
    }

    /**
     * Joins each video's tracks across its segments' borders ({@link TrackBorders}): the tracks at a border are
     * collected (a few per border), joined on the driver, and the joins applied to every row of a video frame.
     */
    static Dataset<Row> tracksAcrossBorders(Dataset<Row> rows) {
        List<Row> atBorders = rows.where(size(col("tracks")).gt(0))
                .select(col("video_id"), explode(col("tracks")).as("t"))
                .where(expr("(t.segment < t.segment_count - 1 AND size(t.tail_boxes) > 0)"
                        + " OR (t.segment > 0 AND size(t.lookback_boxes) > 0)"))
                .collectAsList();
        List<Map.Entry<String, Row>> tracks = new ArrayList<>();
        atBorders.forEach(r -> tracks.add(Map.entry(r.getString(0), r.getStruct(1))));
        TrackBorders.Joined joined = TrackBorders.join(tracks);
        if (joined.isEmpty()) {
            return rows;
        }
        Broadcast<TrackBorders.Joined> joins = JavaSparkContext.fromSparkContext(
                        rows.sparkSession().sparkContext())
                .broadcast(joined);
        JavaRDD<Row> applied = rows.javaRDD().map(row -> TrackBorders.apply(row, joins.value()));
        return rows.sparkSession().createDataFrame(applied, Tables.INSPECTION);
    }

    /** The inspection rows, one per image or frame and one per failure, from the rows of the tasks. */
    public static Dataset<Row> inspections(Dataset<Row> taskRows, Tiling tiling) {
        if (!tiling.enabled()) {
            return taskRows;
        }
        JavaRDD<Row> photos = taskRows.where(col("tiled"))
                .javaRDD()
                .groupBy(row -> row.<String>getAs("source_uri"))
                .map(photo -> photo(photo._2(), tiling));
        return taskRows.where(not(col("tiled")))
                .union(taskRows.sparkSession().createDataFrame(photos, Tables.INSPECTION));
    }

    /**
     * A tiled photo's row: its detections merged per model as SAHI merges them (class-aware, intersection over the
     * smaller box), its anomaly models' verdicts on the whole photo; or, where any part failed, its first error alone.
     */
    static Row photo(Iterable<Row> parts, Tiling tiling) {
        List<Row> rows = new ArrayList<>();
        parts.forEach(rows::add);
        for (Row row : rows) {
            if (row.getAs("error_stage") != null) {
                return RowBuilder.from(row).set("tiled", false).build();
            }
        }
        Row first = rows.get(0);
        Map<String, List<Row>> regionsByModel = new LinkedHashMap<>();
        List<Row> anomalies = new ArrayList<>();
        for (Row row : rows) {
            row.<Row>getList(row.fieldIndex("regions"))
                    .forEach(r -> regionsByModel
                            .computeIfAbsent(r.<String>getAs("model_sha256"), k -> new ArrayList<>())
                            .add(r));
            anomalies.addAll(row.getList(row.fieldIndex("anomalies")));
        }
        Origin origin = new Origin(
                first.getAs("source_uri"),
                first.getAs("video_id"),
                first.getAs("frame_number"),
                first.getAs("frame_time_ms"),
                Map.of());
        int width = first.getAs("image_width");
        int height = first.getAs("image_height");
        List<Row> regions = new ArrayList<>();
        regionsByModel.values().forEach(model -> regions.addAll(merged(model, origin, width, height, tiling)));
        return RowBuilder.from(first)
                .set("tiled", false)
                .set("regions", Tables.array(regions))
                .set("anomalies", Tables.array(anomalies))
                .build();
    }

    /** One model's regions of a photo, merged. */
    private static List<Row> merged(List<Row> model, Origin origin, int width, int height, Tiling tiling) {
        Row any = model.get(0);
        Map<Integer, String> concepts = new TreeMap<>();
        List<Detection> detections = new ArrayList<>();
        for (Row r : model) {
            concepts.put(r.getAs("concept_id"), r.getAs("concept_name"));
            detections.add(new Detection(
                    r.getAs("concept_id"),
                    (float) r.<Double>getAs("score").doubleValue(),
                    r.getAs("x_min"),
                    r.getAs("y_min"),
                    r.getAs("x_max"),
                    r.getAs("y_max")));
        }
        // The tasks' rows arrive in any order: a total order makes ties merge the same way in every run.
        detections.sort(Comparator.comparingDouble((Detection d) -> -d.score())
                .thenComparingDouble(Detection::xMin)
                .thenComparingDouble(Detection::yMin)
                .thenComparingDouble(Detection::xMax)
                .thenComparingDouble(Detection::yMax)
                .thenComparingInt(Detection::classId));
        List<Row> regions = new ArrayList<>();
        for (Detection d : TileMerge.merge(detections, tiling.merge(), Tiling.MATCH_THRESHOLD, true)) {
            regions.add(InspectionRows.region(
                    origin,
                    any.getAs("model_name"),
                    any.getAs("model_version"),
                    any.getAs("model_sha256"),
                    concepts.get(d.classId()),
                    d,
                    width,
                    height,
                    null)); // a photo's: no track
        }
        return regions;
    }
}
