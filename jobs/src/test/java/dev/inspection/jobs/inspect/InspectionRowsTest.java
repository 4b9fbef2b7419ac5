package dev.inspection.jobs.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inspection.anomaly.AnomalyLayout;
import dev.inspection.anomaly.AnomalyResult;
import dev.inspection.anomaly.AnomalySpec;
import dev.inspection.anomaly.Blob;
import dev.inspection.anomaly.HeatmapSummary;
import dev.inspection.detect.Detection;
import dev.inspection.detect.DetectorFormat;
import dev.inspection.detect.DetectorInput;
import dev.inspection.detect.DetectorSpec;
import dev.inspection.detect.Head;
import dev.inspection.jobs.output.Tables;
import dev.inspection.jobs.work.Failure;
import dev.inspection.jobs.work.Origin;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The rows a task emits, built by the field names of the schemas: a column added to a schema and not here (or here and
 * not there) fails these tests before any Spark job runs.
 */
@Tag("video")
class InspectionRowsTest {

    private static final DetectorSpec DETECTOR = new DetectorSpec(
            "roof-damage",
            "2.1.0",
            "ab12",
            DetectorFormat.YOLOV8,
            Head.of(0, 2),
            DetectorInput.ULTRALYTICS,
            640,
            640,
            List.of("hail_hit", "lifted_shingle"),
            0.25f,
            0.7,
            300,
            false,
            0);
    private static final AnomalySpec ANOMALY =
            new AnomalySpec("pcb-anomaly", "1.0.0", "cd34", AnomalyLayout.ANOMALIB2, 256, 256, 0, 1, null, null, 0);
    private static final Origin FRAME =
            new Origin("s3a://roofs/flight.mp4", "flight-7", 30L, 1000L, Map.of("site", "barn"));

    @Test
    void aRegionIsItsBoxNormalizedAndInPixelsWithAStableId() {
        Detection d = new Detection(1, 0.9f, 100, 50, 300, 150);
        Row region = InspectionRows.region(FRAME, DETECTOR, d, 1000, 500);
        assertThat(region.schema()).isEqualTo(Tables.REGION);
        assertThat(region.<String>getAs("concept_name")).isEqualTo("lifted_shingle");
        assertThat(region.<Double>getAs("top_row")).isEqualTo(0.1);
        assertThat(region.<Double>getAs("left_col")).isEqualTo(0.1);
        assertThat(region.<Double>getAs("bottom_row")).isEqualTo(0.3);
        assertThat(region.<Double>getAs("right_col")).isEqualTo(0.3);
        assertThat(region.<Double>getAs("x_max")).isEqualTo(300.0);
        assertThat(region.<String>getAs("region_id"))
                .isEqualTo(InspectionRows.region(FRAME, DETECTOR, d, 1000, 500).getAs("region_id"))
                .isNotEqualTo(InspectionRows.region(FRAME.frame(31, 1033), DETECTOR, d, 1000, 500)
                        .getAs("region_id"))
                .hasSize(32);
    }

    @Test
    void anAnomalyVerdictCarriesTheHeatmapSummaryAndItsOverlay() {
        HeatmapSummary h = new HeatmapSummary(
                0.9f,
                0.2f,
                0.1f,
                0.5f,
                0.8f,
                0.03,
                List.of(new Blob(0.1, 0.2, 0.3, 0.4, 0.9f, 0.7f, 0.02)),
                1,
                2,
                2,
                new float[] {0f, 0.1f, 0.2f, 0.9f});
        Row anomaly = InspectionRows.anomaly(
                ANOMALY, new AnomalyResult(0.7f, null, h, new float[4], 2, 2), "s3a://o.png", null);
        assertThat(anomaly.schema()).isEqualTo(Tables.ANOMALY);
        assertThat(anomaly.<Boolean>getAs("is_anomalous")).isTrue();
        assertThat(anomaly.<Double>getAs("threshold")).isEqualTo(0.5);
        assertThat(anomaly.<Object>getAs("raw_score")).isNull();
        assertThat(anomaly.<String>getAs("heatmap_uri")).isEqualTo("s3a://o.png");
        Row blob = anomaly.<scala.collection.Seq<Row>>getAs("blobs").head();
        assertThat(blob.schema()).isEqualTo(Tables.BLOB);
        assertThat(blob.<Double>getAs("area_fraction")).isEqualTo(0.02);
    }

    @Test
    void anInspectionAndAnErrorAreRowsOfTheSameSchema() {
        Row inspected = InspectionRows.inspection(FRAME, true, false, 1000, 500, List.of(), List.of());
        Row error = InspectionRows.error(FRAME, new Failure("decode", "CorruptVideo", "segment 2 of 3: cut"));
        assertThat(inspected.schema()).isEqualTo(Tables.INSPECTION).isEqualTo(error.schema());
        assertThat(inspected.<Long>getAs("frame_number")).isEqualTo(30L);
        assertThat(inspected.<Object>getAs("error_stage")).isNull();
        assertThat(error.<String>getAs("error_class")).isEqualTo("CorruptVideo");
        assertThat(error.<Object>getAs("image_width")).isNull();
        assertThat(error.<Boolean>getAs("from_video")).isFalse();
    }
}
