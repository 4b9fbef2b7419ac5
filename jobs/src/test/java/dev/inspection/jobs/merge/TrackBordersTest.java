package dev.inspection.jobs.merge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inspection.jobs.output.RowBuilder;
import dev.inspection.jobs.output.Tables;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

class TrackBordersTest {

    private static final String VIDEO = "s3a://belt/cam-2.mp4";

    /** A track in segment {@code segment} of 3 (frames 0-9, 10-19, 20-29), at x on its first frame, x + 10 last. */
    private static Row track(String id, String model, int segment, long first, long last, double x, double score) {
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
                .set("segment_first_frame", segment * 10L)
                .set("segment_last_frame", segment * 10L + 9)
                .set("first_box", Tables.array(List.of(x, 0.0, x + 40, 40.0)))
                .set("last_box", Tables.array(List.of(x + 10, 0.0, x + 50, 40.0)))
                .set("class_frames", CollectionConverters.asScala(new HashMap<>(Map.of(0, (int) (last - first + 1)))));
        for (String c : List.of("top_row", "left_col", "bottom_row", "right_col", "x_min", "y_min", "x_max", "y_max")) {
            b.set(c, x);
        }
        return b.build();
    }

    private static TrackBorders.Joined join(Row... tracks) {
        return TrackBorders.join(
                java.util.Arrays.stream(tracks).map(t -> Map.entry(VIDEO, t)).toList());
    }

    @Test
    void aTrackAtTheBorderContinuesInTheNextSegmentsTrackWhereTheirBoxesMeet() {
        TrackBorders.Joined joined = join(
                track("a-1", "m", 0, 1, 9, 0, 0.9),
                track("b-1", "m", 1, 10, 19, 12, 0.95),
                track("c-3", "m", 2, 20, 25, 24, 0.8));
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
    void tracksThatDoNotMeetAtTheBorderStayApart() {
        assertThat(join(track("a-1", "m", 0, 1, 9, 0, 0.9), track("b-1", "m", 1, 10, 19, 200, 0.9))
                        .isEmpty())
                .as("boxes far apart")
                .isTrue();
        assertThat(join(track("a-1", "m", 0, 1, 7, 0, 0.9), track("b-1", "m", 1, 10, 19, 12, 0.9))
                        .isEmpty())
                .as("a track lost before the border")
                .isTrue();
        assertThat(join(track("a-1", "m", 0, 1, 9, 0, 0.9), track("b-1", "n", 1, 10, 19, 12, 0.9))
                        .isEmpty())
                .as("another detector's track")
                .isTrue();
    }

    @Test
    void ofTwoCandidatesTheCloserIsJoined() {
        TrackBorders.Joined joined = join(
                track("a-1", "m", 0, 1, 9, 0, 0.9),
                track("b-1", "m", 1, 10, 19, 14, 0.9),
                track("b-2", "m", 1, 10, 19, 10, 0.9));
        assertThat(joined.renamed()).isEqualTo(Map.of("b-2", "a-1"));
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-9);
    }
}
