package dev.inspection.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.inspection.model.LoadedModels;
import dev.inspection.model.ModelPackage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The whole job in Spark local mode, reading and writing s3a:// on an S3 server started here. */
class InspectionJobS3Test {

  static final String BUCKET = "plant";
  static final String OUT = "s3a://plant/inspections";
  static EmbeddedS3 s3;
  static SparkSession spark;
  static byte[] detector;

  @BeforeAll
  static void start() throws Exception {
    s3 = EmbeddedS3.start();
    s3.createBucket(BUCKET);
    List<Path> images = DemoData.images();
    for (int i = 0; i < images.size(); i++) {
      String line = i % 2 == 0 ? "line-1" : "line-2";
      s3.put(BUCKET, "boards/" + line + "/" + images.get(i).getFileName(), Files.readAllBytes(images.get(i)));
    }
    BufferedImage blank = new BufferedImage(300, 200, BufferedImage.TYPE_3BYTE_BGR); // a bare board: nothing on it
    java.awt.Graphics2D g = blank.createGraphics();
    g.setColor(new java.awt.Color(25, 115, 60));
    g.fillRect(0, 0, 300, 200);
    g.dispose();
    s3.put(BUCKET, "boards/line-1/blank.png", png(blank));
    byte[] jpeg = Files.readAllBytes(images.get(0));
    s3.put(BUCKET, "boards/bad/truncated.jpg", Arrays.copyOf(jpeg, jpeg.length / 3));
    s3.put(BUCKET, "boards/bad/empty.png", new byte[0]);
    s3.put(BUCKET, "boards/bad/notes.jpg", "shift notes, not a photo".getBytes(StandardCharsets.UTF_8));
    s3.put(BUCKET, "boards/bad/huge.png", hugePng());
    s3.put(BUCKET, "boards/labels.csv", "not an image, not listed".getBytes(StandardCharsets.UTF_8));
    detector = Files.readAllBytes(DemoData.DETECTOR);
    s3.put(BUCKET, "models/pcb-detector.onnx", detector);

    SparkSession.Builder builder =
        SparkSession.builder()
            .master("local[2]")
            .appName("InspectionJobS3Test")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2");
    s3.s3aSettings().forEach((k, v) -> builder.config("spark.hadoop." + k, v));
    spark = builder.getOrCreate();
  }

  @AfterAll
  static void stop() throws Exception {
    spark.stop();
    s3.close();
  }

  static byte[] png(BufferedImage image) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  /** A valid PNG whose header claims 60000 x 60000 pixels. */
  static byte[] hugePng() throws Exception {
    byte[] out = png(new BufferedImage(8, 8, BufferedImage.TYPE_3BYTE_BGR));
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(out);
    b.putInt(16, 60_000);
    b.putInt(20, 60_000);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(out, 12, 17);
    b.putInt(29, (int) crc.getValue());
    return out;
  }

  private InspectionJob.Result inspect(String runDate) throws Exception {
    InspectArgs args =
        InspectArgs.parse(
            "--input", "s3a://plant/boards",
            "--detector", "s3a://plant/models/pcb-detector.onnx",
            "--output", OUT,
            "--run-date", runDate,
            "--batch-size", "4");
    return new InspectionJob(spark, args).execute();
  }

  @Test
  void detectsPartsOnBoardsInS3AndAccountsForEveryInput() throws Exception {
    InspectionJob.Result result = inspect("2026-11-22");
    assertThat(result.inputsListed()).isEqualTo(35); // 30 boards, 1 blank, 4 bad; labels.csv is not an image
    assertThat(result.imagesProcessed()).isEqualTo(31);
    assertThat(result.inputsFailed()).isEqualTo(4);

    List<Row> regions =
        spark.read().parquet(OUT + "/regions").where("run_date = DATE'2026-11-22'").collectAsList();
    assertThat(spark.read().parquet(OUT + "/regions").columns())
        .containsExactly(
            "run_id", "source_uri", "frame_number", "frame_time_ms", "image_width", "image_height", "model_name",
            "model_version", "model_sha256", "region_id", "concept_id", "concept_name", "score", "top_row",
            "left_col", "bottom_row", "right_col", "x_min", "y_min", "x_max", "y_max", "run_date");
    assertThat(regions).hasSize((int) result.regionsWritten());
    assertThat(regions.stream().map(r -> r.getAs("region_id")).distinct()).hasSize(regions.size());
    for (Row r : regions) {
      assertThat((String) r.getAs("run_id")).isEqualTo(result.runId());
      assertThat((Object) r.getAs("frame_number")).isNull();
      assertThat((String) r.getAs("model_name")).isEqualTo("pcb-detector");
      assertThat((String) r.getAs("model_sha256")).isEqualTo(ModelPackage.sha256(detector));
      int w = r.getAs("image_width");
      int h = r.getAs("image_height");
      assertThat((double) r.getAs("left_col")).isEqualTo((double) r.getAs("x_min") / w);
      assertThat((double) r.getAs("bottom_row")).isEqualTo((double) r.getAs("y_max") / h);
      assertThat((double) r.getAs("top_row")).isBetween(0.0, (double) r.getAs("bottom_row"));
      assertThat((double) r.getAs("score")).isBetween(0.25, 1.0);
    }
    assertThat(regions).noneMatch(r -> r.<String>getAs("source_uri").contains("blank.png"));
    assertDetectionQuality(regions);

    List<Row> errors = spark.read().parquet(OUT + "/errors").where("run_date = DATE'2026-11-22'").collectAsList();
    assertThat(errors)
        .extracting(r -> r.getAs("source_uri"), r -> r.getAs("stage"), r -> r.getAs("error_class"))
        .containsExactlyInAnyOrder(
            tuple("s3a://plant/boards/bad/truncated.jpg", "decode", "CorruptImage"),
            tuple("s3a://plant/boards/bad/empty.png", "decode", "EmptyFile"),
            tuple("s3a://plant/boards/bad/notes.jpg", "decode", "UnsupportedFormat"),
            tuple("s3a://plant/boards/bad/huge.png", "decode", "ImageTooLarge"));
    assertThat(errors).allSatisfy(r -> assertThat(r.<String>getAs("message")).isNotBlank());

    Row run = spark.read().parquet(OUT + "/runs").where("run_id = '" + result.runId() + "'").first();
    assertThat((long) run.getAs("inputs_listed")).isEqualTo(35);
    assertThat((long) run.getAs("images_processed")).isEqualTo(31);
    assertThat((long) run.getAs("inputs_failed")).isEqualTo(4);
    assertThat((long) run.getAs("regions_written")).isEqualTo(regions.size());
    assertThat((String) run.getAs("status")).isEqualTo("SUCCEEDED");
    Row model = run.<Row>getList(run.fieldIndex("models")).get(0);
    assertThat(model.<String>getAs("sha256")).isEqualTo(ModelPackage.sha256(detector));
    assertThat(model.<String>getAs("kind")).isEqualTo("detector");

    // The same night again: its partition is replaced with the same regions, never appended to.
    inspect("2026-11-22");
    List<Row> again =
        spark.read().parquet(OUT + "/regions").where("run_date = DATE'2026-11-22'").collectAsList();
    assertThat(again.stream().map(r -> r.<String>getAs("region_id")).sorted().toList())
        .isEqualTo(regions.stream().map(r -> r.<String>getAs("region_id")).sorted().toList());
    assertThat(spark.read().parquet(OUT + "/errors").where("run_date = DATE'2026-11-22'").count()).isEqualTo(4);
    // Two runs, several tasks each, one JVM: the model was loaded from the broadcast bytes once.
    assertThat(LoadedModels.loadCount()).isEqualTo(1);
  }

  /** Precision and recall at IoU 0.5 against the boxes the boards were drawn with. */
  private static void assertDetectionQuality(List<Row> regions) throws Exception {
    Map<String, List<DemoData.Box>> truth = DemoData.labels();
    int truePositives = 0;
    int boxes = 0;
    for (Map.Entry<String, List<DemoData.Box>> image : truth.entrySet()) {
      List<Row> found =
          new ArrayList<>(
              regions.stream().filter(r -> r.<String>getAs("source_uri").endsWith("/" + image.getKey())).toList());
      found.sort((a, b) -> Double.compare(b.<Double>getAs("score"), a.<Double>getAs("score")));
      Set<DemoData.Box> matched = new HashSet<>();
      for (Row r : found) {
        for (DemoData.Box box : image.getValue()) {
          if (!matched.contains(box)
              && box.concept().equals(r.getAs("concept_name"))
              && box.iou(r.getAs("x_min"), r.getAs("y_min"), r.getAs("x_max"), r.getAs("y_max")) >= 0.5) {
            matched.add(box);
            truePositives++;
            break;
          }
        }
      }
      boxes += image.getValue().size();
    }
    double recall = truePositives / (double) boxes;
    double precision = truePositives / (double) regions.size();
    System.out.printf("Demo detector on %d held-out boards: recall %.3f, precision %.3f (%d boxes)%n",
        truth.size(), recall, precision, boxes);
    assertThat(recall).isGreaterThanOrEqualTo(0.9);
    assertThat(precision).isGreaterThanOrEqualTo(0.9);
  }
}
