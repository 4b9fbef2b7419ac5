package dev.inspection.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DetectorLayoutTest {

    @Test
    void recognisesLayoutsFromShapes() {
        assertThat(DetectorLayout.recognise(84, 8400, 80)).isEqualTo(DetectorLayout.YOLOV8);
        assertThat(DetectorLayout.recognise(84, 8400, -1)).isEqualTo(DetectorLayout.YOLOV8);
        assertThat(DetectorLayout.recognise(7, 2100, 3)).isEqualTo(DetectorLayout.YOLOV8);
        assertThat(DetectorLayout.recognise(25200, 85, 80)).isEqualTo(DetectorLayout.YOLOV5);
        assertThat(DetectorLayout.recognise(25200, 85, -1)).isEqualTo(DetectorLayout.YOLOV5);
        assertThat(DetectorLayout.recognise(6300, 6, 1)).isEqualTo(DetectorLayout.YOLOV5); // one class: 5 + 1 columns
        assertThat(DetectorLayout.recognise(300, 6, 80)).isEqualTo(DetectorLayout.END2END);
        assertThat(DetectorLayout.recognise(300, 6, -1)).isEqualTo(DetectorLayout.END2END);
        assertThat(DetectorLayout.recognise(-1, 1600, 3)).isEqualTo(DetectorLayout.YOLOV8); // a symbolic row count
        assertThatThrownBy(() -> DetectorLayout.recognise(-1, -1, 3)).hasMessageContaining("fits no detector layout");
        assertThatThrownBy(() -> DetectorLayout.recognise(10, 10, 80))
                .hasMessageContaining("[N, 10, 10] fits no detector layout for 80 classes")
                .hasMessageContaining("[N, 84, anchors]");
        assertThat(DetectorLayout.parse("YOLO11")).isEqualTo(DetectorLayout.YOLOV8);
        assertThatThrownBy(() -> DetectorLayout.parse("ssd")).hasMessageContaining("unknown detector format 'ssd'");
    }

    @Test
    void yolov8DecodesAnchorColumnsWithTheBestClass() {
        // [4 + 2 classes, 3 anchors], one image at offset 2.
        float[] out = {
            -1,
            -1,
            10,
            50,
            90, // cx
            20,
            60,
            90, // cy
            4,
            10,
            2, // w
            6,
            20,
            2, // h
            0.1f,
            0.3f,
            0.9f, // class 0
            0.8f,
            0.2f,
            0.05f // class 1
        };
        List<Detection> found = DetectorLayout.YOLOV8.candidates(out, 2, 6, 3, 2, 0.25f);
        assertThat(found)
                .containsExactly(
                        new Detection(1, 0.8f, 8, 17, 12, 23),
                        new Detection(0, 0.3f, 45, 50, 55, 70),
                        new Detection(0, 0.9f, 89, 89, 91, 91));
    }

    @Test
    void yolov5MultipliesObjectnessByClassScore() {
        // [2 anchors, 5 + 2]: the second anchor's objectness is below the threshold.
        float[] out = {
            100, 100, 20, 40, 0.5f, 0.2f, 0.9f,
            10, 10, 4, 4, 0.1f, 1f, 0f
        };
        assertThat(DetectorLayout.YOLOV5.candidates(out, 0, 2, 7, 2, 0.25f))
                .containsExactly(new Detection(1, 0.45f, 90, 80, 110, 120));
        assertThat(DetectorLayout.YOLOV5.candidates(out, 0, 2, 7, 2, 0.5f)).isEmpty();
    }

    @Test
    void end2endReadsCornersScoreAndClass() {
        float[] out = {
            1, 2, 30, 40, 0.95f, 3,
            0, 0, 0, 0, 0.01f, 0
        };
        assertThat(DetectorLayout.END2END.candidates(out, 0, 2, 6, -1, 0.25f))
                .containsExactly(new Detection(3, 0.95f, 1, 2, 30, 40));
    }
}
