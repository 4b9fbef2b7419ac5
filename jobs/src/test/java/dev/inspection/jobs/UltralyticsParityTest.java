package dev.inspection.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.inspection.jobs.config.InspectArgs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job with default options gives the detections Ultralytics' own predict gives for a real YOLOv8n int8 export, on
 * Ultralytics' bus photo (810x1080) and on it enlarged twice (1620x2160, a photo at least twice the model's input,
 * which {@code --fast-decode} would decode at 1/2): ../shared/compat, skipped where absent.
 */
@Tag("spark")
class UltralyticsParityTest {

    static final Path COMPAT = Path.of("..", "..", "shared", "compat");

    @TempDir
    static Path dir;

    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start("UltralyticsParityTest", 2);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** One row of Ultralytics' predict: class, score and box in the photo's pixels. */
    record Expected(String concept, double score, double x1, double y1, double x2, double y2) {}

    @Test
    void defaultOptionsGiveUltralyticsOwnDetectionsOnThePhotoAndOnItEnlargedTwice() throws Exception {
        Path model = COMPAT.resolve("models/yolov8n-int8-640.onnx");
        assumeTrue(Files.exists(model) && Files.exists(COMPAT.resolve("images/bus-2x.jpg")), "../shared/compat");
        Path input = Files.createDirectories(dir.resolve("photos"));
        for (String photo : List.of("bus.jpg", "bus-2x.jpg")) {
            Files.copy(COMPAT.resolve("images").resolve(photo), input.resolve(photo));
        }
        inspect(input, model, dir.resolve("out"));
        List<Row> regions =
                spark.read().parquet(dir.resolve("out/regions").toString()).collectAsList();

        for (String photo : List.of("bus.jpg", "bus-2x.jpg")) {
            List<Expected> expected = expected(photo);
            List<Row> found = regions.stream()
                    .filter(r -> r.<String>getAs("source_uri").endsWith("/" + photo))
                    .sorted(Comparator.comparingDouble(r -> -r.<Double>getAs("score")))
                    .toList();
            assertThat(expected).as("Ultralytics' rows for %s", photo).hasSize(5);
            assertThat(found).as("regions of %s", photo).hasSameSizeAs(expected);
            for (Expected e : expected) {
                assertThat(found)
                        .as("a region like Ultralytics' %s on %s", e, photo)
                        .anySatisfy(r -> {
                            assertThat(r.<String>getAs("concept_name")).isEqualTo(e.concept());
                            assertThat(r.<Double>getAs("score")).isCloseTo(e.score(), within(0.002));
                            assertThat(iou(r, e)).isGreaterThanOrEqualTo(0.99);
                        });
            }
        }
    }

    static double iou(Row r, Expected e) {
        double x1 = r.<Double>getAs("x_min");
        double y1 = r.<Double>getAs("y_min");
        double x2 = r.<Double>getAs("x_max");
        double y2 = r.<Double>getAs("y_max");
        double w = Math.max(0, Math.min(x2, e.x2()) - Math.max(x1, e.x1()));
        double h = Math.max(0, Math.min(y2, e.y2()) - Math.max(y1, e.y1()));
        double inter = w * h;
        double union = (x2 - x1) * (y2 - y1) + (e.x2() - e.x1()) * (e.y2() - e.y1()) - inter;
        return inter / union;
    }

    /** Ultralytics' rows for one photo, from the reference TSV that has them. */
    static List<Expected> expected(String photo) throws Exception {
        List<Expected> rows = new ArrayList<>();
        for (String tsv :
                List.of("ultralytics-predict-yolov8n-int8-640.tsv", "ultralytics-predict-yolov8n-int8-640-2x.tsv")) {
            for (String line : Files.readAllLines(COMPAT.resolve("expected").resolve(tsv))) {
                String[] f = line.split("\t");
                if (f.length == 7 && f[0].equals(photo)) {
                    rows.add(new Expected(
                            f[1],
                            Double.parseDouble(f[2]),
                            Double.parseDouble(f[3]),
                            Double.parseDouble(f[4]),
                            Double.parseDouble(f[5]),
                            Double.parseDouble(f[6])));
                }
            }
        }
        return rows;
    }

    private static void inspect(Path input, Path model, Path out) throws Exception {
        String[] args = {"--input", input.toString(), "--detector", model.toString(), "--output", out.toString()};
        new InspectionJob(spark, InspectArgs.parse(args)).execute();
    }
}
