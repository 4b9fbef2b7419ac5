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

    @Test
    void classesMayNameAWellKnownList() {
        assertThat(ModelDescriptor.parse("{\"classes\": \"coco80\"}").classes())
                .hasSize(80)
                .startsWith("person", "bicycle")
                .endsWith("toothbrush");
        assertThat(ModelDescriptor.parse("{\"classes\": \"coco91\"}").classes().subList(0, 3))
                .containsExactly("background", "person", "bicycle");
        assertThat(ModelDescriptor.parse("{\"classes\": \"coco91\"}").classes().get(90))
                .isEqualTo("toothbrush");
        assertThatThrownBy(() -> ModelDescriptor.parse("{\"classes\": \"voc\"}"))
                .hasMessage("model.json: unknown class list 'voc': give a list of names, or coco80 or coco91");
    }

    @Test
    void anInputTransformMayBeDeclared() {
        ModelDescriptor d = ModelDescriptor.parse("{\"format\": \"yolox\", \"input\": {\"resize\": \"stretch\", "
                + "\"channels\": \"rgb\", \"divide_by\": 255, \"mean\": [0.485, 0.456, 0.406], "
                + "\"std\": [0.229, 0.224, 0.225]}, \"class_agnostic\": false}");
        assertThat(d.input().resize()).isEqualTo("stretch");
        assertThat(d.input().divideBy()).isEqualTo(255.0);
        assertThat(d.input().mean()).containsExactly(0.485, 0.456, 0.406);
        assertThat(d.input().pad()).isNull();
        assertThat(d.classAgnostic()).isFalse();
    }
}
