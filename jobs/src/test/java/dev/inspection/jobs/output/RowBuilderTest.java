package dev.inspection.jobs.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class RowBuilderTest {

    @Test
    void aRowIsBuiltByFieldNameInTheSchemasOrder() {
        Row row = RowBuilder.of(Tables.MODEL)
                .set("uri", "s3a://models/pcb.onnx")
                .set("kind", "detector")
                .set("sha256", "ab")
                .set("version", null)
                .set("name", "pcb")
                .build();
        assertThat(row.getString(0)).isEqualTo("detector");
        assertThat(row.<String>getAs("uri")).isEqualTo("s3a://models/pcb.onnx");
        assertThat(row.isNullAt(2)).isTrue();
    }

    @Test
    void aColumnTheSchemaLacksOrOneLeftUnsetFailsWithItsName() {
        assertThatThrownBy(() -> RowBuilder.of(Tables.MODEL).set("checksum", "ab"))
                .hasMessageStartingWith("no column 'checksum' in [kind, name, version, sha256, uri]");
        assertThatThrownBy(() ->
                        RowBuilder.of(Tables.MODEL).set("kind", "detector").build())
                .hasMessageStartingWith("column 'name' was not set");
    }

    @Test
    void everyTableStartsWithTheSourceColumnsAndEndsWithTheRunDate() {
        for (Tables.Table table :
                new Tables.Table[] {Tables.REGIONS, Tables.IMAGE_SCORES, Tables.HEATMAP_SUMMARIES, Tables.ERRORS}) {
            assertThat(Arrays.asList(table.columns()).subList(0, 6))
                    .as(table.name())
                    .containsExactly("run_id", "source_uri", "video_id", "frame_number", "frame_time_ms", "metadata");
            assertThat(table.columns()[table.columns().length - 1])
                    .as(table.name())
                    .isEqualTo("run_date");
            assertThat(table.partitionSchema().fieldNames())
                    .as(table.name())
                    .doesNotContain("run_date")
                    .hasSize(table.columns().length - 1);
        }
        assertThat(Tables.REGIONS.columns())
                .contains("region_id", "concept_name", "score", "top_row", "x_max", "image_width");
        assertThat(Tables.IMAGE_SCORES.columns())
                .contains("score", "raw_score", "threshold", "is_anomalous")
                .doesNotContain("blobs", "image_width");
        assertThat(Tables.HEATMAP_SUMMARIES.columns())
                .contains("p99", "blobs", "grid", "heatmap_uri")
                .doesNotContain("is_anomalous");
    }
}
