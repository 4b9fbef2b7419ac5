package dev.inspection.jobs.merge;

import dev.inspection.jobs.output.RowBuilder;
import dev.inspection.jobs.output.Tables;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Row;

/**
 * Joins the tracks of a video's segments across their borders, so a video cut into segments gives the tracks of the
 * video in one piece. Each segment's task tracked a look-back of frames before its start too, frames the segment
 * before inspected as well, so the two tasks' detections on them are the same: a track of segment k reported on frames
 * the next segment's look-back covers (its {@code tail_boxes}) continues as the track of segment k + 1 reported on
 * those frames in its look-back ({@code lookback_boxes}) when their boxes on the frames both have overlap by a mean IoU
 * of at least {@link #MIN_IOU}; of several candidates, the pairs of the highest mean IoU first, each track joined once.
 * A track lost on the frames just before a border is joined too: the next segment's tracker saw it before it was lost,
 * and kept it lost as the whole video's tracker does. Tracks of different detectors are never joined.
 *
 * <p>Only the tracks at a border take part ({@link #atBorder}), so the driver holds few of them. A joined track keeps
 * the id of its first part; its other parts' ids are renamed to it, in regions too.
 */
final class TrackBorders {

    /**
     * The least mean IoU on common frames at which two tracks are one object. Both tasks see the same detections on
     * those frames (IoU 1); the margin is ByteTrack's own second-stage matching threshold.
     */
    static final double MIN_IOU = 0.5;

    private TrackBorders() {}

    /**
     * What joining did.
     *
     * @param renamed the id each joined part after the first takes: its chain's first part's
     * @param joined each chain's track, by its first part's id, as the tracks table has it
     */
    record Joined(Map<String, String> renamed, Map<String, Row> joined) implements Serializable {
        boolean isEmpty() {
            return renamed.isEmpty();
        }
    }

    /**
     * Whether a track (of {@link Tables#TRACK_PART}) was reported on frames the next segment's look-back covers, or on
     * frames of its own segment's look-back. {@link Merge} selects the same tracks in SQL.
     */
    static boolean atBorder(Row track) {
        int segment = track.getAs("segment");
        int count = track.getAs("segment_count");
        boolean toNext = segment < count - 1 && !boxes(track, "tail_boxes").isEmpty();
        boolean fromPrevious = segment > 0 && !boxes(track, "lookback_boxes").isEmpty();
        return toNext || fromPrevious;
    }

    /**
     * Joins the tracks at the borders.
     *
     * @param tracks each a video's id (a video file's URI, or the {@code video_id} of frame images) and one of its
     *     tracks at a border, in any order
     */
    static Joined join(List<Map.Entry<String, Row>> tracks) {
        Map<String, Map<Integer, List<Row>>> bySegment = new TreeMap<>();
        for (Map.Entry<String, Row> e : tracks) {
            Row t = e.getValue();
            bySegment
                    .computeIfAbsent(e.getKey() + "|" + t.getAs("model_sha256"), k -> new TreeMap<>())
                    .computeIfAbsent(t.getAs("segment"), k -> new ArrayList<>())
                    .add(t);
        }
        Map<String, Row> next = new HashMap<>();
        Set<String> continued = new HashSet<>();
        Map<String, Row> byId = new LinkedHashMap<>();
        for (Map<Integer, List<Row>> segments : bySegment.values()) {
            segments.values().forEach(list -> list.forEach(t -> byId.put(t.getAs("track_id"), t)));
            for (Map.Entry<Integer, List<Row>> e : segments.entrySet()) {
                List<Row> after = segments.getOrDefault(e.getKey() + 1, List.of());
                for (Row[] pair : pairs(e.getValue(), after)) {
                    next.put(pair[0].getAs("track_id"), pair[1]);
                    continued.add(pair[1].getAs("track_id"));
                }
            }
        }
        Map<String, String> renamed = new TreeMap<>();
        Map<String, Row> joined = new TreeMap<>();
        for (Row head : byId.values()) {
            String id = head.getAs("track_id");
            if (continued.contains(id) || !next.containsKey(id)) {
                continue;
            }
            List<Row> chain = new ArrayList<>(List.of(head));
            for (Row t = next.get(id); t != null; t = next.get(t.<String>getAs("track_id"))) {
                chain.add(t);
                renamed.put(t.getAs("track_id"), id);
            }
            joined.put(id, combined(chain));
        }
        return new Joined(renamed, joined);
    }

    /**
     * An inspection row with the joins applied: each region of a joined track's later part named by the track's id, and
     * of the tracks on the row, a joined track's first part replaced by the joined track and its later parts left out.
     */
    static Row apply(Row inspection, Joined joined) {
        if (inspection.getAs("video_id") == null) {
            return inspection; // a still image: never tracked
        }
        List<Row> regions = new ArrayList<>();
        for (Row r : inspection.<Row>getList(inspection.fieldIndex("regions"))) {
            String trackId = r.getAs("track_id");
            String id = trackId == null ? null : joined.renamed().get(trackId); // null: a detection in no track
            regions.add(id == null ? r : RowBuilder.from(r).set("track_id", id).build());
        }
        List<Row> tracks = new ArrayList<>();
        for (Row t : inspection.<Row>getList(inspection.fieldIndex("tracks"))) {
            String id = t.getAs("track_id");
            if (!joined.renamed().containsKey(id)) {
                tracks.add(joined.joined().getOrDefault(id, t));
            }
        }
        return RowBuilder.from(inspection)
                .set("regions", Tables.array(regions))
                .set("tracks", Tables.array(tracks))
                .build();
    }

    /**
     * The tracks of {@code before} on the frames the border's look-back covers matched to those of {@code after} on the
     * same frames.
     */
    private static List<Row[]> pairs(List<Row> before, List<Row> after) {
        record Candidate(Row a, Row b, double iou) {}
        List<Candidate> candidates = new ArrayList<>();
        for (Row a : before) {
            Map<Long, List<Double>> tail = boxes(a, "tail_boxes");
            for (Row b : after) {
                double iou = meanIou(tail, boxes(b, "lookback_boxes"));
                if (iou >= MIN_IOU) {
                    candidates.add(new Candidate(a, b, iou));
                }
            }
        }
        // A total order, so ties join the same way in every run.
        candidates.sort(Comparator.comparingDouble((Candidate c) -> -c.iou())
                .thenComparing(c -> c.a().<String>getAs("track_id"))
                .thenComparing(c -> c.b().<String>getAs("track_id")));
        Set<Row> used = new HashSet<>();
        List<Row[]> pairs = new ArrayList<>();
        for (Candidate c : candidates) {
            if (!used.contains(c.a()) && !used.contains(c.b())) {
                used.add(c.a());
                used.add(c.b());
                pairs.add(new Row[] {c.a(), c.b()});
            }
        }
        return pairs;
    }

    /** One track of its parts, in segment order: the first's id and start, the last's end, counts over all. */
    private static Row combined(List<Row> chain) {
        Row first = chain.get(0);
        Row last = chain.get(chain.size() - 1);
        Row best = first;
        int detections = 0;
        double scoreSum = 0;
        Map<Integer, Integer> classFrames = new TreeMap<>();
        for (Row t : chain) {
            int n = t.getAs("detections");
            detections += n;
            scoreSum += n * t.<Double>getAs("mean_score");
            if (t.<Double>getAs("best_score") > best.<Double>getAs("best_score")) {
                best = t;
            }
            scala.jdk.javaapi.CollectionConverters.asJava(
                            t.<scala.collection.Map<Integer, Integer>>getAs("class_frames"))
                    .forEach((k, v) -> classFrames.merge(k, v, Integer::sum));
        }
        int concept = classFrames.entrySet().stream()
                .max(Comparator.comparingInt((Map.Entry<Integer, Integer> e) -> e.getValue())
                        .thenComparing(e -> -e.getKey()))
                .orElseThrow()
                .getKey();
        String conceptName = first.getAs("concept_name");
        for (Row t : chain) {
            if (t.<Integer>getAs("concept_id") == concept) {
                conceptName = t.getAs("concept_name");
            }
        }
        RowBuilder out = RowBuilder.from(first)
                .set("concept_id", concept)
                .set("concept_name", conceptName)
                .set("last_frame_number", last.getAs("last_frame_number"))
                .set("last_time_ms", last.getAs("last_time_ms"))
                .set("detections", detections)
                .set("best_score", best.getAs("best_score"))
                .set("mean_score", scoreSum / detections)
                .set("best_frame_number", best.getAs("best_frame_number"))
                .set("segment_count", first.getAs("segment_count"))
                .set("tail_boxes", last.getAs("tail_boxes"))
                .set("class_frames", scala.jdk.javaapi.CollectionConverters.asScala(new HashMap<>(classFrames)));
        for (String c : List.of("top_row", "left_col", "bottom_row", "right_col", "x_min", "y_min", "x_max", "y_max")) {
            out.set(c, best.getAs(c));
        }
        return out.build();
    }

    /** A track's boxes by frame number, from one of its maps of boxes. */
    private static Map<Long, List<Double>> boxes(Row track, String column) {
        scala.collection.Map<Long, scala.collection.Seq<Double>> boxes = track.getAs(column);
        Map<Long, List<Double>> out = new TreeMap<>();
        scala.jdk.javaapi.CollectionConverters.asJava(boxes)
                .forEach((frame, box) -> out.put(frame, scala.jdk.javaapi.CollectionConverters.asJava(box)));
        return out;
    }

    /** The mean IoU of two tracks' boxes over the frames both have one on; 0 where they have none in common. */
    private static double meanIou(Map<Long, List<Double>> a, Map<Long, List<Double>> b) {
        double sum = 0;
        int common = 0;
        for (Map.Entry<Long, List<Double>> e : a.entrySet()) {
            List<Double> other = b.get(e.getKey());
            if (other != null) {
                sum += iou(e.getValue(), other);
                common++;
            }
        }
        return common == 0 ? 0 : sum / common;
    }

    private static double iou(List<Double> a, List<Double> b) {
        double w = Math.min(a.get(2), b.get(2)) - Math.max(a.get(0), b.get(0));
        double h = Math.min(a.get(3), b.get(3)) - Math.max(a.get(1), b.get(1));
        if (w <= 0 || h <= 0) {
            return 0;
        }
        double inter = w * h;
        double union =
                (a.get(2) - a.get(0)) * (a.get(3) - a.get(1)) + (b.get(2) - b.get(0)) * (b.get(3) - b.get(1)) - inter;
        return inter / union;
    }
}
