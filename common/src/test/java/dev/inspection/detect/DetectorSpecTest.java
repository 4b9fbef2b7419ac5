package dev.inspection.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inspection.image.Letterbox;
import dev.inspection.image.PixelMap;
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
        assertThat(spec.format()).isEqualTo(DetectorFormat.YOLOV8);
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
                null,
                null,
                null);
        ModelPackage pkg = ModelPackage.of("file:/m/roof/model.onnx", new byte[] {9}, d);
        DetectorSpec spec = DetectorSpec.resolve(
                pkg,
                signature(new long[] {-1, 3, -1, -1}, new long[] {-1, 10647, 7}, Map.of()),
                new DetectionOptions(0.6, null, null, true));
        assertThat(spec.name()).isEqualTo("roof");
        assertThat(spec.format()).isEqualTo(DetectorFormat.YOLOV5);
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

    @Test
    void eachFormatBringsItsReferencesInputAndNmsAndTheDescriptorOverridesThem() {
        OnnxSignature yolox = signature(new long[] {1, 3, 416, 416}, new long[] {1, 3549, 85}, Map.of());
        DetectorSpec bare = DetectorSpec.resolve(BARE, yolox, DetectionOptions.DEFAULTS);
        assertThat(bare.format()).isEqualTo(DetectorFormat.YOLOX);
        assertThat(bare.classNames())
                .as("80 classes, no names: COCO's")
                .hasSize(80)
                .startsWith("person");
        assertThat(bare.input().fit()).isEqualTo(Letterbox.Fit.LETTERBOX_TOP_LEFT);
        assertThat(bare.input().pixels()).isEqualTo(new PixelMap(true, 1f, null, null, 114));
        assertThat(bare.iouThreshold()).isEqualTo(0.45);
        assertThat(bare.classAgnostic()).isTrue();

        ModelPackage declared = ModelPackage.of(
                "file:/m/x/model.onnx",
                new byte[] {7},
                ModelDescriptor.parse("{\"classes\": \"coco80\", \"class_agnostic\": false, \"iou_threshold\": 0.6,"
                        + " \"input\": {\"resize\": \"stretch\", \"channels\": \"rgb\", \"pad\": 0}}"));
        DetectorSpec spec = DetectorSpec.resolve(declared, yolox, DetectionOptions.DEFAULTS);
        assertThat(spec.input().fit()).isEqualTo(Letterbox.Fit.STRETCH);
        assertThat(spec.input().pixels()).isEqualTo(new PixelMap(false, 1f, null, null, 0));
        assertThat(spec.iouThreshold()).isEqualTo(0.6);
        assertThat(spec.classAgnostic()).isFalse();

        assertThat(DetectorSpec.resolve(
                                BARE,
                                signature(new long[] {1, 3, 640, 640}, new long[] {1, 300, 6}, Map.of()),
                                DetectionOptions.DEFAULTS)
                        .iouThreshold())
                .as("end-to-end: no NMS")
                .isNaN();
        assertThat(DetectorSpec.resolve(
                                BARE,
                                signature(new long[] {1, 3, 640, 640}, new long[] {1, 7, 8400}, Map.of()),
                                DetectionOptions.DEFAULTS)
                        .classNames())
                .as("3 classes, no names")
                .containsExactly("class_0", "class_1", "class_2");
    }
}
