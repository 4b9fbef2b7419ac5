package dev.inspection.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inspection.model.ModelDescriptor;
import dev.inspection.model.ModelPackage;
import dev.inspection.model.OnnxSignature;
import dev.inspection.model.OnnxSignature.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DetectorSpecTest {

    private static OnnxSignature signature(long[] in, long[] out, Map<String, String> metadata) {
        return new OnnxSignature(
                List.of(new Tensor("images", in, "FLOAT")), List.of(new Tensor("output0", out, "FLOAT")), metadata);
    }

    private static final ModelPackage BARE = ModelPackage.of("s3a://models/yolov8n.onnx", new byte[] {1, 2, 3}, null);

    @Test
    void bareUltralyticsExportIsReadFromItsMetadata() {
        DetectorSpec spec = DetectorSpec.resolve(
                BARE,
                signature(
                        new long[] {1, 3, 640, 640},
                        new long[] {1, 6, 8400},
                        Map.of("names", "{0: 'crack', 1: 'moss'}", "imgsz", "[640, 640]", "version", "8.4.1")),
                DetectionOptions.DEFAULTS);
        assertThat(spec.name()).isEqualTo("yolov8n");
        assertThat(spec.version()).isEqualTo("8.4.1");
        assertThat(spec.layout()).isEqualTo(DetectorLayout.YOLOV8);
        assertThat(spec.classNames()).containsExactly("crack", "moss");
        assertThat(spec.inputWidth()).isEqualTo(640);
        assertThat(spec.fixedBatch()).isEqualTo(1);
        assertThat(spec.scoreThreshold()).isEqualTo(0.25f);
        assertThat(spec.iouThreshold()).isEqualTo(0.7);
        assertThat(spec.maxDetections()).isEqualTo(300);
        assertThat(spec.sha256()).isEqualTo(ModelPackage.sha256(new byte[] {1, 2, 3}));
    }

    @Test
    void descriptorOverridesMetadataAndCommandLineOverridesDescriptor() {
        ModelDescriptor d = new ModelDescriptor(
                "roof",
                "2.0",
                "yolov5",
                null,
                List.of(416),
                List.of("a", "b"),
                0.4,
                0.5,
                10,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        ModelPackage pkg = ModelPackage.of("file:/m/roof/model.onnx", new byte[] {9}, d);
        DetectorSpec spec = DetectorSpec.resolve(
                pkg,
                signature(new long[] {-1, 3, -1, -1}, new long[] {-1, 10647, 7}, Map.of()),
                new DetectionOptions(0.6, null, null, true));
        assertThat(spec.name()).isEqualTo("roof");
        assertThat(spec.layout()).isEqualTo(DetectorLayout.YOLOV5);
        assertThat(spec.inputHeight()).isEqualTo(416);
        assertThat(spec.inputWidth()).isEqualTo(416);
        assertThat(spec.scoreThreshold()).isEqualTo(0.6f);
        assertThat(spec.iouThreshold()).isEqualTo(0.5);
        assertThat(spec.maxDetections()).isEqualTo(10);
        assertThat(spec.fixedBatch()).isZero();
        assertThat(spec.classAgnostic()).isTrue();
    }

    @Test
    void modelsThatCannotWorkFailWithTheReason() {
        assertThatThrownBy(() -> DetectorSpec.resolve(
                        BARE,
                        signature(new long[] {1, 3, -1, -1}, new long[] {1, 6, 100}, Map.of()),
                        DetectionOptions.DEFAULTS))
                .hasMessageContaining("dynamic size and no imgsz metadata")
                .hasMessageContaining("input_size");
        assertThatThrownBy(() -> DetectorSpec.resolve(
                        BARE,
                        signature(new long[] {1, 3, 640}, new long[] {1, 6, 100}, Map.of()),
                        DetectionOptions.DEFAULTS))
                .hasMessageContaining("expected one image input [N, 3, H, W]");
        assertThatThrownBy(() -> DetectorSpec.resolve(
                        BARE,
                        signature(
                                new long[] {1, 3, 640, 640},
                                new long[] {1, 84, 8400},
                                Map.of("names", "{0: 'a', 1: 'b'}")),
                        DetectionOptions.DEFAULTS))
                .hasMessageContaining("fits no detector layout for 2 classes");
        assertThatThrownBy(() -> DetectorSpec.resolve(
                        BARE,
                        signature(new long[] {1, 3, 640, 640}, new long[] {1, 84, 8400}, Map.of("imgsz", "[320, 320]")),
                        DetectionOptions.DEFAULTS))
                .hasMessageContaining("input size 320x320 does not fit the declared input");
    }
}
