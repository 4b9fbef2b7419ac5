package dev.inspection.jobs.evaluate.metrics;

import dev.inspection.eval.CocoImageMatch;
import dev.inspection.eval.CocoMatcher;
import dev.inspection.eval.ConfusionCell;
import dev.inspection.eval.LabeledBox;
import dev.inspection.eval.ScoredBox;
import dev.inspection.eval.UltralyticsMatcher;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The matching of one model's detections on one image to the image's labels, run on executors: a row of the image's
 * detections and labels (collected per image) becomes a row of what COCOeval and Ultralytics matched, per detection,
 * and the image's confusion-matrix counts.
 */
final class ImageMatches {

    /** What {@link #match} returns per (model, image). */
    static final StructType SCHEMA = new StructType()
            .add("model_name", DataTypes.StringType)
            .add("image_id", DataTypes.StringType)
            .add(
                    "coco",
                    DataTypes.createArrayType(new StructType()
                            .add("concept_name", DataTypes.StringType)
                            .add("score", DataTypes.DoubleType)
                            .add("rank", DataTypes.IntegerType)
                            .add("outcomes", DataTypes.createArrayType(DataTypes.IntegerType))))
            .add(
                    "ultralytics",
                    DataTypes.createArrayType(new StructType()
                            .add("concept_name", DataTypes.StringType)
                            .add("score", DataTypes.DoubleType)
                            .add("rank", DataTypes.IntegerType)
                            .add("correct", DataTypes.createArrayType(DataTypes.BooleanType))))
            .add(
                    "label_counts",
                    DataTypes.createArrayType(new StructType()
                            .add("concept_name", DataTypes.StringType)
                            .add("labels", DataTypes.LongType)))
            .add(
                    "confusion",
                    DataTypes.createArrayType(new StructType()
                            .add("predicted", DataTypes.StringType)
                            .add("actual", DataTypes.StringType)
                            .add("count", DataTypes.LongType)));

    private ImageMatches() {}

    /** Matches a row (model_name, image_id, dets array or null, gts array or null). */
    static Row match(Row image) {
        List<ScoredBox> detections = new ArrayList<>();
        List<Row> detRows = image.isNullAt(2) ? List.of() : image.getList(2);
        for (Row d : detRows) {
            detections.add(new ScoredBox(
                    d.getString(0), d.getDouble(1), d.getDouble(2), d.getDouble(3), d.getDouble(4), d.getDouble(5)));
        }
        List<LabeledBox> labels = new ArrayList<>();
        List<Row> gtRows = image.isNullAt(3) ? List.of() : image.getList(3);
        for (Row g : gtRows) {
            labels.add(new LabeledBox(
                    g.getString(0),
                    g.getDouble(1),
                    g.getDouble(2),
                    g.getDouble(3),
                    g.getDouble(4),
                    !g.isNullAt(5) && g.getBoolean(5)));
        }
        detections.sort(ScoredBox.EVALUATION_ORDER);
        Map<ScoredBox, Integer> rank = new IdentityHashMap<>();
        for (int i = 0; i < detections.size(); i++) {
            rank.put(detections.get(i), i);
        }
        List<LabeledBox> counted = labels.stream().filter(l -> !l.crowd()).toList();
        return RowFactory.create(
                image.getString(0),
                image.getString(1),
                seq(cocoRows(detections, labels, rank)),
                seq(ultralyticsRows(detections, counted)),
                seq(labelCountRows(labels)),
                seq(confusionRows(detections, counted)));
    }

    private static List<Row> cocoRows(
            List<ScoredBox> detections, List<LabeledBox> labels, Map<ScoredBox, Integer> rank) {
        Map<String, List<ScoredBox>> detectionsByClass = new TreeMap<>();
        for (ScoredBox d : detections) {
            detectionsByClass
                    .computeIfAbsent(d.concept(), c -> new ArrayList<>())
                    .add(d);
        }
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, List<ScoredBox>> entry : detectionsByClass.entrySet()) {
            List<LabeledBox> classLabels = labels.stream()
                    .filter(l -> l.concept().equals(entry.getKey()))
                    .toList();
            CocoImageMatch match = CocoMatcher.match(entry.getValue(), classLabels);
            for (int i = 0; i < match.detections().size(); i++) {
                ScoredBox d = match.detections().get(i);
                List<Integer> outcomes = new ArrayList<>();
                for (byte outcome : match.outcomes()[i]) {
                    outcomes.add((int) outcome);
                }
                rows.add(RowFactory.create(d.concept(), d.score(), rank.get(d), seq(outcomes)));
            }
        }
        return rows;
    }

    private static List<Row> ultralyticsRows(List<ScoredBox> detections, List<LabeledBox> counted) {
        boolean[][] correct = UltralyticsMatcher.matchPredictions(detections, counted);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < detections.size(); i++) {
            List<Boolean> flags = new ArrayList<>();
            for (boolean flag : correct[i]) {
                flags.add(flag);
            }
            rows.add(RowFactory.create(
                    detections.get(i).concept(), detections.get(i).score(), i, seq(flags)));
        }
        return rows;
    }

    /** Per class on the image: the labels that count (not crowd); a class of crowd regions only counts 0. */
    private static List<Row> labelCountRows(List<LabeledBox> labels) {
        Map<String, Long> counts = new TreeMap<>();
        for (LabeledBox label : labels) {
            counts.merge(label.concept(), label.crowd() ? 0L : 1L, Long::sum);
        }
        List<Row> rows = new ArrayList<>();
        counts.forEach((concept, count) -> rows.add(RowFactory.create(concept, count)));
        return rows;
    }

    private static List<Row> confusionRows(List<ScoredBox> detections, List<LabeledBox> counted) {
        Map<ConfusionCell, Long> cells = new LinkedHashMap<>(UltralyticsMatcher.confusion(
                detections, counted, UltralyticsMatcher.CONFUSION_CONFIDENCE, UltralyticsMatcher.CONFUSION_IOU));
        List<Row> rows = new ArrayList<>();
        cells.forEach((cell, count) -> rows.add(RowFactory.create(cell.predicted(), cell.actual(), count)));
        return rows;
    }

    /** Rows hold arrays as Scala sequences. */
    private static <T> scala.collection.immutable.Seq<T> seq(List<T> values) {
        return scala.jdk.javaapi.CollectionConverters.asScala(values).toList();
    }
}
