package dev.inspection.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class InspectArgsTest {

  private static final String[] REQUIRED = {
    "--input", "s3a://roofs/2026/", "--detector", "s3a://models/roof.onnx", "--output", "s3a://roofs-out/"
  };

  private static String[] with(String... extra) {
    String[] all = new String[REQUIRED.length + extra.length];
    System.arraycopy(REQUIRED, 0, all, 0, REQUIRED.length);
    System.arraycopy(extra, 0, all, REQUIRED.length, extra.length);
    return all;
  }

  @Test
  void parsesTheFullCommandLine() throws Exception {
    InspectArgs a =
        InspectArgs.parse(
            with("--input", "file:///data/more", "--run-date", "2026-11-22", "--score-threshold", "0.4",
                "--iou-threshold", "0.5", "--max-detections", "50", "--batch-size", "16", "--class-agnostic-nms",
                "--conf", "fs.s3a.endpoint=http://minio:9000", "--conf", "spark.sql.shuffle.partitions=4"));
    assertThat(a.inputs()).containsExactly("s3a://roofs/2026/", "file:///data/more");
    assertThat(a.detectors()).containsExactly("s3a://models/roof.onnx");
    assertThat(a.output()).isEqualTo("s3a://roofs-out/");
    assertThat(a.runDate()).isEqualTo(LocalDate.of(2026, 11, 22));
    assertThat(a.detection().scoreThreshold()).isEqualTo(0.4);
    assertThat(a.detection().iouThreshold()).isEqualTo(0.5);
    assertThat(a.detection().maxDetections()).isEqualTo(50);
    assertThat(a.detection().classAgnostic()).isTrue();
    assertThat(a.batchSize()).isEqualTo(16);
    assertThat(a.conf())
        .containsEntry("fs.s3a.endpoint", "http://minio:9000")
        .containsEntry("spark.sql.shuffle.partitions", "4");
  }

  @Test
  void anomalyModelsAloneAreEnough() throws Exception {
    InspectArgs a = InspectArgs.parse("--input", "in", "--anomaly", "m1.onnx", "--anomaly", "m2/", "--output", "out");
    assertThat(a.detectors()).isEmpty();
    assertThat(a.anomalyModels()).containsExactly("m1.onnx", "m2/");
  }

  @Test
  void defaultsLeaveThresholdsToTheModel() throws Exception {
    InspectArgs a = InspectArgs.parse(REQUIRED);
    assertThat(a.detection().scoreThreshold()).isNull();
    assertThat(a.detection().iouThreshold()).isNull();
    assertThat(a.batchSize()).isEqualTo(8);
    assertThat(a.intraOpThreads()).isEqualTo(1);
  }

  @Test
  void badValuesAreNamedInTheMessage() {
    assertThatThrownBy(() -> InspectArgs.parse(with("--run-date", "22/11/2026")))
        .isInstanceOf(UsageException.class)
        .hasMessage("--run-date must be YYYY-MM-DD, got '22/11/2026'");
    assertThatThrownBy(() -> InspectArgs.parse(with("--score-threshold", "1.5")))
        .hasMessage("--score-threshold must be a number in [0, 1], got '1.5'");
    assertThatThrownBy(() -> InspectArgs.parse(with("--iou-threshold", "0")))
        .hasMessage("--iou-threshold must be a number in (0, 1], got '0'");
    assertThatThrownBy(() -> InspectArgs.parse(with("--batch-size", "-3")))
        .hasMessage("--batch-size must be a positive whole number, got '-3'");
    assertThatThrownBy(() -> InspectArgs.parse(with("--conf", "fs.s3a.endpoint")))
        .hasMessage("--conf must be KEY=VALUE, got 'fs.s3a.endpoint'");
    assertThatThrownBy(() -> InspectArgs.parse(with("--detecter", "x"))).hasMessage("unknown option --detecter");
    assertThatThrownBy(() -> InspectArgs.parse(with("--output"))).hasMessage("--output needs a value");
    assertThatThrownBy(() -> InspectArgs.parse("--input", "a", "--output", "b"))
        .hasMessageStartingWith("a model is required: --detector or --anomaly");
  }

  @Test
  void partitionsKeepEveryCoreBusyAndNeverExceedTheInputs() {
    assertThat(InspectionJob.partitions(0, 8, 8)).isEqualTo(1);
    assertThat(InspectionJob.partitions(3, 8, 8)).isEqualTo(3);
    assertThat(InspectionJob.partitions(100, 8, 8)).isEqualTo(8);
    assertThat(InspectionJob.partitions(10_000, 8, 8)).isEqualTo(313);
  }

  @Test
  void tablesAreWrittenInFewFilesNotOnePerTask() {
    assertThat(InspectionJob.outputFiles(1_000, 32)).isEqualTo(1);
    assertThat(InspectionJob.outputFiles(250_000, 7813)).isEqualTo(3);
    assertThat(InspectionJob.outputFiles(0, 1)).isEqualTo(1);
  }
}
