package dev.inspection.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.inspection.image.ImageDecoder;
import dev.inspection.image.Letterbox;
import dev.inspection.image.RgbImage;
import dev.inspection.model.LoadedModels;
import dev.inspection.model.ModelPackage;
import dev.inspection.model.OnnxSignature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real exports of each detector family, bare (no model.json), against the detections their authors' reference
 * inference gives on the same photos ({@code ../shared/compat/expected/families}, skipped where absent): every
 * reference detection scoring at least 0.3 found with the same concept, IoU at least 0.95 and score within 0.02, and
 * nothing else above 0.35. NanoDet's demo truncates its boxes to whole pixels twice (in the input, then in the photo,
 * losing up to 3.4 px on bus.jpg): its rows are checked against ours truncated the same way, within 1 px.
 */
class CompatFamiliesTest {

    static final Path COMPAT = CompatYolov8nTest.COMPAT;
    static final List<String> PHOTOS = List.of("bus.jpg", "dog.jpg", "bicycle-rider.jpg");

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "yolox-nano-416, YOLOX",
        "nanodet-m-320, NANODET",
        "deimv2-atto-320, DETR",
        "yolov10n-int8-640, END2END",
        "yolov5n-int8-640, YOLOV5"
    })
    void bareExportGivesItsReferenceDetections(String model, DetectorFormat format) throws Exception {
        Path onnxFile = COMPAT.resolve("models/" + model + ".onnx");
        Path expectedFile = COMPAT.resolve("expected/families/" + model + ".tsv");
        assumeTrue(Files.exists(onnxFile) && Files.exists(expectedFile), "../shared/compat is absent");

        byte[] onnx = Files.readAllBytes(onnxFile);
        ModelPackage pkg = ModelPackage.of(onnxFile.toString(), onnx, null);
        DetectorSpec spec = DetectorSpec.resolve(pkg, OnnxSignature.read(onnx), DetectionOptions.DEFAULTS);
        assertThat(spec.format()).isEqualTo(format);
        assertThat(spec.classNames()).hasSize(80).startsWith("person", "bicycle");

        ImageDecoder decoder = new ImageDecoder(100_000_000);
        double worstIou = 1;
        double worstScore = 0;
        try (Detector detector = new Detector(spec, LoadedModels.get(pkg, 1))) {
            for (String photo : PHOTOS) {
                RgbImage image = decoder.decode(Files.readAllBytes(COMPAT.resolve("images/" + photo)));
                List<Detection> found = detector.detect(List.of(image), 1).get(0);
                List<Expected> expected = expected(expectedFile, photo);
                for (Expected e : expected) {
                    if (e.score() < 0.3) {
                        continue;
                    }
                    Optional<Detection> match = found.stream()
                            .filter(d -> spec.classNames().get(d.classId()).equals(e.className()))
                            .max(Comparator.comparingDouble(d -> d.iou(e.box())));
                    assertThat(match)
                            .as("%s: %s on %s, found %s", model, e, photo, found)
                            .isPresent();
                    Detection d = format == DetectorFormat.NANODET ? truncated(spec, image, match.get()) : match.get();
                    assertThat(d.iou(e.box()))
                            .as("%s: IoU with %s on %s, found %s", model, e, photo, d)
                            .isGreaterThanOrEqualTo(0.95);
                    assertThat((double) Math.abs(d.score() - e.score()))
                            .as("%s: score of %s on %s, found %s", model, e, photo, d)
                            .isLessThanOrEqualTo(0.02);
                    if (format == DetectorFormat.NANODET) {
                        assertThat(new double[] {d.xMin(), d.yMin(), d.xMax(), d.yMax()})
                                .as("%s: %s on %s", model, e, photo)
                                .containsExactly(
                                        new double[] {
                                            e.box().xMin(),
                                            e.box().yMin(),
                                            e.box().xMax(),
                                            e.box().yMax()
                                        },
                                        within(1.0));
                    }
                    worstIou = Math.min(worstIou, d.iou(e.box()));
                    worstScore = Math.max(worstScore, Math.abs(d.score() - e.score()));
                }
                for (Detection f : found) {
                    Detection d = format == DetectorFormat.NANODET ? truncated(spec, image, f) : f;
                    if (d.score() > 0.35) {
                        String name = spec.classNames().get(d.classId());
                        assertThat(expected.stream()
                                        .anyMatch(e -> e.className().equals(name) && d.iou(e.box()) >= 0.95))
                                .as("%s: %s %s on %s is in the reference %s", model, name, d, photo, expected)
                                .isTrue();
                    }
                }
            }
        }
        System.out.printf(
                "%s (%s) against its reference: lowest IoU %.4f, largest score difference %.4f%n",
                model, format, worstIou, worstScore);
    }

    /** NanoDet's demo's box: {@code int((int(x_input) - left) * ratio)}, from ours mapped back into the input. */
    static Detection truncated(DetectorSpec spec, RgbImage image, Detection d) {
        Letterbox lb = spec.input().letterbox(image.width(), image.height(), spec.inputWidth(), spec.inputHeight());
        return new Detection(
                d.classId(),
                d.score(),
                trunc(d.xMin(), lb.gainX(), lb.padLeft()),
                trunc(d.yMin(), lb.gainY(), lb.padTop()),
                trunc(d.xMax(), lb.gainX(), lb.padLeft()),
                trunc(d.yMax(), lb.gainY(), lb.padTop()));
    }

    private static double trunc(double source, double gain, int pad) {
        return (int) (((int) (source * gain + pad + 1e-6) - pad) / gain);
    }

    /** One reference row: a detection in original pixels. */
    record Expected(String className, float score, Detection box) {}

    static List<Expected> expected(Path tsv, String photo) throws Exception {
        List<Expected> rows = new ArrayList<>();
        for (String line : Files.readAllLines(tsv)) {
            String[] f = line.split("\t");
            if (f.length == 7 && f[0].equals(photo)) {
                rows.add(new Expected(
                        f[1],
                        Float.parseFloat(f[2]),
                        new Detection(
                                -1,
                                Float.parseFloat(f[2]),
                                Double.parseDouble(f[3]),
                                Double.parseDouble(f[4]),
                                Double.parseDouble(f[5]),
                                Double.parseDouble(f[6]))));
            }
        }
        return rows;
    }
}
