package dev.inspection.jobs.merge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inspection.jobs.output.RowBuilder;
import dev.inspection.jobs.output.Tables;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Joining tracks across borders: a video of 3 segments (frames 0-9, 10-19, 20-29), each segment but the first looking
 * back 3 frames (7-9 and 17-19), boxes 40 px square at a given x.
 */
@Tag("video")
class TrackBordersTest {

    private static final String VIDEO = "s3a://belt/cam-2.mp4";

    /**
     * A track in segment {@code segment} on frames first to last of it, with a box at x on each of the frames {@code
     * lookBack} names (of the segment's look-back) and {@code tail} names (of the next segment's look-back).
     */
    private static Row track(
            String id,
            String model,
            int segment,
            long first,
            long last,
            Map<Long, Double> lookBack,
            Map<Long, Double> tail,
            double score) {
        RowBuilder b = RowBuilder.of(Tables.TRACK_PART)
                .set("model_name", model)
                .set("model_version", "1")
                .set("model_sha256", model)
                .set("track_id", id)
                .set("concept_id", 0)
                .set("concept_name", "chip")
                .set("first_frame_number", first)
                .set("last_frame_number", last)
                .set("first_time_ms", first * 100)
                .set("last_time_ms", last * 100)
                .set("detections", (int) (last - first + 1))
                .set("best_score", score)
                .set("mean_score", score - 0.1)
                .set("best_frame_number", first)
                .set("segment", segment)
                .set("segment_count", 3)
                .set("lookback_boxes", boxes(lookBack))
                .set("tail_boxes", boxes(tail))
                .set("class_frames", CollectionConverters.asScala(new HashMap<>(Map.of(0, (int) (last - first + 1)))));
        for (String c : List.of("top_row", "left_col", "bottom_row", "right_col", "x_min", "y_min", "x_max", "y_max")) {
            b.set(c, (double) first);
        }
        return b.build();
    }

    private static Object boxes(Map<Long, Double> xs) {
        Map<Long, Object> boxes = new HashMap<>();
        xs.forEach((frame, x) -> boxes.put(frame, Tables.array(List.of(x, 0.0, x + 40, 40.0))));
        return CollectionConverters.asScala(boxes);
    }

    /** A box at x on each of the frames from to to. */
    private static Map<Long, Double> at(double x, long from, long to) {
        Map<Long, Double> boxes = new HashMap<>();
        LongStream.rangeClosed(from, to).forEach(f -> boxes.put(f, x));
        return boxes;
    }

    private static TrackBorders.Joined join(Row... tracks) {
        return TrackBorders.join(
                java.util.Arrays.stream(tracks).map(t -> Map.entry(VIDEO, t)).toList());
    }

    @Test
    void aTrackOnTheFramesTheNextSegmentLooksBackOnContinuesInItsTrackThere() {
        TrackBorders.Joined joined = join(
                track("a-1", "m", 0, 1, 9, Map.of(), at(10, 7, 9), 0.9),
                track("b-1", "m", 1, 10, 19, at(10, 7, 9), at(20, 17, 19), 0.95),
                track("c-3", "m", 2, 20, 25, at(20, 17, 19), Map.of(), 0.8));
        assertThat(joined.renamed()).isEqualTo(Map.of("b-1", "a-1", "c-3", "a-1"));
        Row t = joined.joined().get("a-1");
        assertThat(t.<Long>getAs("first_frame_number")).isEqualTo(1L);
        assertThat(t.<Long>getAs("last_frame_number")).isEqualTo(25L);
        assertThat(t.<Integer>getAs("detections")).isEqualTo(9 + 10 + 6);
        assertThat(t.<Double>getAs("best_score")).isEqualTo(0.95);
        assertThat(t.<Long>getAs("best_frame_number")).isEqualTo(10L);
        assertThat(t.<Double>getAs("mean_score")).isCloseTo((9 * 0.8 + 10 * 0.85 + 6 * 0.7) / 25, within());
    }

    @Test
    void aTrackLostOnTheFramesBeforeTheBorderIsJoinedByTheFramesBothSaw() {
        // a-1 is last seen on frame 7; b-1 saw it there in its look-back, lost it on 8 and 9, and found it on 12.
        TrackBorders.Joined joined = join(
                track("a-1", "m", 0, 1, 7, Map.of(), at(10, 7, 7), 0.9),
                track("b-1", "m", 1, 12, 19, at(10, 7, 7), Map.of(), 0.9));
        assertThat(joined.renamed()).isEqualTo(Map.of("b-1", "a-1"));
        assertThat(joined.joined().get("a-1").<Integer>getAs("detections")).isEqualTo(7 + 8);
    }

    @Test
    void tracksThatDoNotMeetOnCommonFramesStayApart() {
        staysApart(
                "boxes far apart",
                track("a-1", "m", 0, 1, 9, Map.of(), at(0, 7, 9), 0.9),
                track("b-1", "m", 1, 10, 19, at(200, 7, 9), Map.of(), 0.9));
        staysApart(
                "no frame in common",
                track("a-1", "m", 0, 1, 8, Map.of(), at(0, 8, 8), 0.9),
                track("b-1", "m", 1, 10, 19, at(0, 9, 9), Map.of(), 0.9));
        staysApart(
                "a track gone before the next segment's look-back",
                track("a-1", "m", 0, 1, 6, Map.of(), Map.of(), 0.9),
                track("b-1", "m", 1, 10, 19, at(0, 7, 9), Map.of(), 0.9));
        staysApart(
                "another detector's track",
                track("a-1", "m", 0, 1, 9, Map.of(), at(0, 7, 9), 0.9),
                track("b-1", "n", 1, 10, 19, at(0, 7, 9), Map.of(), 0.9));
    }

    private static void staysApart(String why, Row before, Row after) {
        assertThat(join(before, after).isEmpty()).as(why).isTrue();
    }

    @Test
    void theClosestPairsAreJoinedFirstEachTrackOnce() {
        TrackBorders.Joined joined = join(
                track("a-1", "m", 0, 1, 9, Map.of(), at(0, 7, 9), 0.9),
                track("a-2", "m", 0, 1, 9, Map.of(), at(3, 7, 9), 0.9),
                track("b-1", "m", 1, 10, 19, at(8, 7, 9), Map.of(), 0.9),
                track("b-2", "m", 1, 10, 19, at(2, 7, 9), Map.of(), 0.9));
        // IoU a-2/b-2 0.951, a-1/b-2 0.905, a-2/b-1 0.778, a-1/b-1 0.667: a-2 takes b-2 first, a-1 gets b-1.
        assertThat(joined.renamed()).isEqualTo(Map.of("b-2", "a-2", "b-1", "a-1"));
    }

    @Test
    void onlyTracksOnBorderFramesAreCollected() {
        assertThat(TrackBorders.atBorder(track("a-1", "m", 0, 1, 9, Map.of(), at(0, 7, 9), 0.9)))
                .as("on the next segment's look-back")
                .isTrue();
        assertThat(TrackBorders.atBorder(track("b-1", "m", 1, 10, 19, at(0, 7, 9), Map.of(), 0.9)))
                .as("on its own look-back")
                .isTrue();
        assertThat(TrackBorders.atBorder(track("b-2", "m", 1, 12, 15, Map.of(), Map.of(), 0.9)))
                .as("inside its segment")
                .isFalse();
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-9);
    }
}
