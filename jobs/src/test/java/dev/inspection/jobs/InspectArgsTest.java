package dev.inspection.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inspection.video.Sampling;
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
  void videosAreSampledOneWay() throws Exception {
    InspectArgs a = InspectArgs.parse(REQUIRED);
    assertThat(a.sampling()).isEqualTo(Sampling.sampleMs(1000));
    assertThat(a.videoSegmentMs()).isEqualTo(120_000);
    assertThat(a.decodeThreads()).isEqualTo(1);
    assertThat(InspectArgs.parse(with("--every-n-frames", "30")).sampling()).hasToString("every-n-frames=30");
    assertThat(InspectArgs.parse(with("--keyframes-only")).sampling()).hasToString("keyframes-only");
    assertThat(InspectArgs.parse(with("--video-segment-s", "30")).videoSegmentMs()).isEqualTo(30_000);
    assertThatThrownBy(() -> InspectArgs.parse(with("--sample-ms", "500", "--keyframes-only")))
        .hasMessage("choose one of --sample-ms, --every-n-frames and --keyframes-only, got [sample-ms=500, keyframes-only]");
    assertThatThrownBy(() -> InspectArgs.parse(with("--sample-ms", "0")))
        .hasMessage("--sample-ms must be a positive whole number, got '0'");
  }

  @Test
  void aManifestCanNameTheInputs() throws Exception {
    InspectArgs a = InspectArgs.parse("--manifest", "s3a://roofs/frames.csv", "--detector", "m.onnx", "--output", "o");
    assertThat(a.inputs()).isEmpty();
    assertThat(a.manifests()).containsExactly("s3a://roofs/frames.csv");
    assertThatThrownBy(() -> InspectArgs.parse("--detector", "m.onnx", "--output", "o"))
        .hasMessageStartingWith("--input or --manifest is required");
  }

  @Test
  void videoSegmentsAreTasksOfTheirOwnAndImagesShareTasks() {
    java.util.List<Work> work = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      work.add(Work.listed(new InputFile("s3a://b/img-" + i + ".jpg", 1, 1)));
    }
    Work video = Work.listed(new InputFile("s3a://b/clip.mp4", 1, 1));
    for (int i = 0; i < 3; i++) {
      work.add(video.withSegment(new dev.inspection.video.VideoSegment(i, 3, i, i + 1, i, i, true, false)));
    }
    var tasks = InspectionJob.tasks(work, 2, 4);
    assertThat(tasks).hasSize(5);
    assertThat(tasks.subList(0, 3)).allSatisfy(t -> assertThat(t).singleElement().matches(Work::isVideo));
    assertThat(tasks.subList(3, 5)).allSatisfy(t -> assertThat(t).hasSize(10).noneMatch(Work::isVideo));
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
