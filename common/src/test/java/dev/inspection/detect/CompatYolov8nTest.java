package dev.inspection.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.inspection.image.ImageDecoder;
import dev.inspection.image.RgbImage;
import dev.inspection.model.LoadedModels;
import dev.inspection.model.ModelPackage;
import dev.inspection.model.OnnxSignature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A real Ultralytics YOLOv8n int8 export on the Ultralytics bus photo: ../shared/compat, skipped where absent. */
class CompatYolov8nTest {

    static final Path COMPAT = Path.of("..", "..", "shared", "compat");

    @Test
    void findsFourPeopleAndTheBus() throws Exception {
        Path model = COMPAT.resolve("models/yolov8n-int8-640.onnx");
        Path bus = COMPAT.resolve("images/bus.jpg");
        assumeTrue(Files.exists(model) && Files.exists(bus), "../shared/compat is absent");

        byte[] onnx = Files.readAllBytes(model);
        ModelPackage pkg = ModelPackage.of(model.toString(), onnx, null);
        DetectorSpec spec = DetectorSpec.resolve(pkg, OnnxSignature.read(onnx), DetectionOptions.DEFAULTS);
        assertThat(spec.layout()).isEqualTo(DetectorLayout.YOLOV8);
        assertThat(spec.classNames()).hasSize(80).startsWith("person", "bicycle");
        assertThat(spec.inputWidth()).isEqualTo(640);

        RgbImage image = new ImageDecoder(100_000_000).decode(Files.readAllBytes(bus));
        assertThat(image.width()).isEqualTo(810);
        List<Detection> found;
        try (Detector detector = new Detector(spec, LoadedModels.get(pkg, 1))) {
            found = detector.detect(List.of(image), 8).get(0);
        }
        List<String> names = found.stream()
                .map(d -> spec.classNames().get(d.classId()))
                .sorted()
                .toList();
        assertThat(names).containsExactly("bus", "person", "person", "person", "person");

        Detection bus0 = found.stream()
                .filter(d -> spec.classNames().get(d.classId()).equals("bus"))
                .findFirst()
                .orElseThrow();
        assertThat(bus0.score()).isCloseTo(0.83f, within(0.03f));
        assertThat(bus0.xMin()).isCloseTo(35, within(8.0));
        assertThat(bus0.xMax()).isCloseTo(800, within(8.0));
        assertThat(bus0.yMin()).isCloseTo(231, within(8.0));
        assertThat(bus0.yMax()).isCloseTo(775, within(8.0));

        List<Float> people = found.stream()
                .filter(d -> d.classId() == 0)
                .map(Detection::score)
                .sorted(Comparator.reverseOrder())
                .toList();
        assertThat(people.get(0)).isCloseTo(0.90f, within(0.03f));
        assertThat(people.get(1)).isCloseTo(0.90f, within(0.03f));
        assertThat(people.get(2)).isCloseTo(0.89f, within(0.03f));
        assertThat(people.get(3)).isCloseTo(0.31f, within(0.05f));
    }
}
