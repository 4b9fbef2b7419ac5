package dev.inspection.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.inspection.image.RgbImage;
import dev.inspection.model.LoadedModels;
import dev.inspection.model.ModelPackage;
import dev.inspection.model.OnnxSignature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Detectors that take each picture at its own size, with tiny models of their interfaces
 * (scripts/models/make_detector_test_models.py): a torchvision export ({@code [3, H, W]} floats, COCO's 91 ids) and a
 * TensorFlow Object Detection API export ({@code [1, H, W, 3]} uint8, normalized y-first boxes, 1-based classes, {@code
 * num_detections}). Each scores a picture by its red channel and boxes it at fractions of the size it was fed.
 */
class OwnSizeModelsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({"torchvision-like, TORCHVISION", "tf-od-like, TF_OD"})
    void eachPictureGoesInAtItsOwnSizeInTheModelsLayout(String model, DetectorFormat format) throws Exception {
        byte[] onnx = Files.readAllBytes(Path.of("src/test/resources/models/" + model + ".onnx"));
        ModelPackage pkg = ModelPackage.of(model + ".onnx", onnx, null);
        DetectorSpec spec = DetectorSpec.resolve(pkg, OnnxSignature.read(onnx), DetectionOptions.DEFAULTS);
        assertThat(spec.format()).isEqualTo(format);
        assertThat(spec.inputWidth()).as("no size of its own").isZero();

        RgbImage red = plain(300, 200, 255, 0, 0);
        RgbImage blue = plain(120, 90, 0, 0, 255);
        List<List<Detection>> found;
        try (Detector detector = new Detector(spec, LoadedModels.get(pkg, 1))) {
            found = detector.detect(List.of(red, blue, red), 8);
        }
        // The red pictures: class 1 (COCO's "person" either way), its red channel's 1.0, at (0.1, 0.2)..(0.5, 0.6) of
        // 300x200. The second candidate is below 0.25 (torchvision) or past num_detections (TF).
        for (int i : new int[] {0, 2}) {
            assertThat(found.get(i)).as("picture %d", i).hasSize(1);
            Detection d = found.get(i).get(0);
            assertThat(spec.classNames().get(d.classId())).isEqualTo("person");
            assertThat(d.score()).isEqualTo(1f);
            assertThat(new double[] {d.xMin(), d.yMin(), d.xMax(), d.yMax()})
                    .containsExactly(new double[] {30, 40, 150, 120}, within(1e-4));
        }
        assertThat(found.get(1)).as("the blue picture has no red").isEmpty();
    }

    private static RgbImage plain(int width, int height, int r, int g, int b) {
        byte[] rgb = new byte[width * height * 3];
        for (int i = 0; i < rgb.length; i += 3) {
            rgb[i] = (byte) r;
            rgb[i + 1] = (byte) g;
            rgb[i + 2] = (byte) b;
        }
        return new RgbImage(width, height, rgb);
    }
}
