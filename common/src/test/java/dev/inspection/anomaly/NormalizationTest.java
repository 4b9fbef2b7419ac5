package dev.inspection.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class NormalizationTest {

    @Test
    void thresholdsLandAtOneHalfAndValuesAreClipped() {
        Normalization n = new Normalization(6, 5, 0, 10);
        assertThat(n.score(6)).isEqualTo(0.5f);
        assertThat(n.pixel(5)).isEqualTo(0.5f);
        assertThat(n.score(8)).isCloseTo(0.7f, within(1e-6f));
        assertThat(n.pixel(2)).isCloseTo(0.2f, within(1e-6f));
        assertThat(n.score(100)).isEqualTo(1f);
        assertThat(n.score(-100)).isEqualTo(0f);
    }

    @Test
    void readsFlatAndNestedMetadata() {
        assertThat(
                        Normalization.fromMetadataJson(
                                "{\"image_threshold\": 13.5, \"pixel_threshold\": 12.0, \"min\": 1.0, \"max\": 30.0, \"task\": \"seg\"}"))
                .isEqualTo(new Normalization(13.5, 12.0, 1.0, 30.0));
        assertThat(Normalization.fromMetadataJson(
                        "{\"transform\": {}, \"normalization\": {\"image_threshold\": 6, \"pixel_threshold\": 5,"
                                + " \"min\": 0, \"max\": 10}}"))
                .isEqualTo(new Normalization(6, 5, 0, 10));
        assertThat(Normalization.fromMetadataJson("{\"image_threshold\": 6, \"min\": 0, \"max\": 10}")
                        .pixelThreshold())
                .isEqualTo(6);
    }

    @Test
    void incompleteMetadataSaysWhatIsMissing() {
        assertThatThrownBy(() -> Normalization.fromMetadataJson("{\"image_threshold\": 6, \"min\": 0}"))
                .hasMessageContaining("lacks max");
        assertThatThrownBy(() -> Normalization.fromMetadataJson("{\"image_threshold\": 6, \"min\": 3, \"max\": 3}"))
                .hasMessageContaining("max > min");
        assertThatThrownBy(() -> Normalization.fromMetadataJson("not json {")).hasMessageContaining("not valid JSON");
    }
}
