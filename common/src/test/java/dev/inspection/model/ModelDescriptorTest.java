package dev.inspection.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ModelDescriptorTest {

    @Test
    void aPackageMayDeclareItsTiling() {
        ModelDescriptor d = ModelDescriptor.parse("{\"name\": \"hail\", \"tile_size\": 640, \"tile_overlap\": 0.25}");
        assertThat(d.tileSize()).isEqualTo(640);
        assertThat(d.tileOverlap()).isEqualTo(0.25);
        ModelDescriptor none = ModelDescriptor.parse("{\"name\": \"hail\"}");
        assertThat(none.tileSize()).as("not declared").isNull();
        assertThat(none.tileOverlap()).as("not declared").isNull();
    }

    @Test
    void tilingOutOfRangeIsNamedWithItsValue() {
        assertThatThrownBy(() -> ModelDescriptor.parse("{\"tile_size\": -640}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("model.json: tile_size must be a whole number >= 0, got -640");
        assertThatThrownBy(() -> ModelDescriptor.parse("{\"tile_overlap\": 1.0}"))
                .hasMessage("model.json: tile_overlap must be a number in [0, 1), got 1.0");
        assertThatThrownBy(() -> ModelDescriptor.parse("{\"tile_size\": 640.5}"))
                .hasMessageStartingWith("model.json is not valid JSON:");
    }
}
