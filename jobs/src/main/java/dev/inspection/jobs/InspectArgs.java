package dev.inspection.jobs;

import dev.inspection.detect.DetectionOptions;
import dev.inspection.image.ImageDecoder;
import dev.inspection.video.Sampling;
import dev.inspection.video.VideoReader;
import java.io.Serializable;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The inspection job's command line, validated: what spark-submit passes after the jar, and what
 * {@code scripts/inspect.sh} passes in local mode.
 */
public record InspectArgs(
    List<String> inputs,
    List<String> manifests,
    List<String> detectors,
    List<String> anomalyModels,
    String output,
    LocalDate runDate,
    DetectionOptions detection,
    int batchSize,
    long maxImagePixels,
    int intraOpThreads,
    Sampling sampling,
    long videoSegmentMs,
    int decodeThreads,
    double maxFailureRate,
    Map<String, String> conf)
    implements Serializable {

  public static final String USAGE =
      String.join(
          "\n",
          "Usage: inspect (--input URI | --manifest URI) ... (--detector URI | --anomaly URI) ... --output URI [options]",
          "  --input URI            folder, prefix or file on any Hadoop filesystem (s3a://, file://, hdfs://, local path),",
          "                         searched recursively for images (" + String.join(", ", ImageDecoder.EXTENSIONS) + ")",
          "                         and videos (" + String.join(", ", VideoReader.EXTENSIONS) + "); repeatable",
          "  --manifest URI         CSV (with a header) or Parquet listing inputs: column uri, optional video_id,",
          "                         frame_number, frame_time_ms; other columns pass through as metadata; repeatable",
          "  --detector URI         ONNX detector file, or a model package folder with model.json; repeatable",
          "  --anomaly URI          ONNX anomaly model (anomalib 2.x or 1.x export with metadata.json beside it),",
          "                         or a model package folder; repeatable",
          "  --output URI           table root: regions/, image_scores/, heatmap_summaries/, heatmaps/, errors/, runs/",
          "  --run-date YYYY-MM-DD  partition to write (default: today, UTC)",
          "  --score-threshold X    minimum detection score in [0, 1] (default: model's, else 0.25)",
          "  --iou-threshold X      NMS IoU threshold in (0, 1] (default: model's, else 0.7)",
          "  --max-detections N     detections kept per image and model (default: model's, else 300)",
          "  --class-agnostic-nms   let boxes of different classes suppress each other",
          "  --batch-size N         images per inference call (default 8; models with a fixed batch use theirs)",
          "  --max-image-pixels N   larger images are rejected into errors/ before decoding (default 100000000)",
          "  --intra-op-threads N   ONNX Runtime threads per inference (default 1: Spark's task slots run in parallel)",
          "  --sample-ms N          videos: the first frame at or after every N ms of presentation time (default 1000)",
          "  --every-n-frames N     videos: frames 0, N, 2N, ... instead",
          "  --keyframes-only       videos: every keyframe instead (the other frames are not decoded)",
          "  --video-segment-s N    videos longer than this are split into keyframe-aligned segments of about N s,",
          "                         decoded as separate tasks (default 120)",
          "  --decode-threads N     FFmpeg threads per video task (default 1, like --intra-op-threads)",
          "  --max-failure-rate R   the run fails (exit 4, FAILED in runs) when more than this share of the inputs",
          "                         ends in errors/, in [0, 1] (default 1: never)",
          "  --conf KEY=VALUE       Spark setting (spark.*) or Hadoop setting (fs.s3a.* and others); repeatable");

  public static InspectArgs parse(String... args) throws UsageException {
    List<String> inputs = new ArrayList<>();
    List<String> manifests = new ArrayList<>();
    List<String> detectors = new ArrayList<>();
    List<String> anomalyModels = new ArrayList<>();
    Map<String, String> conf = new LinkedHashMap<>();
    String output = null;
    LocalDate runDate = LocalDate.now(ZoneOffset.UTC);
    Double score = null;
    Double iou = null;
    Integer maxDetections = null;
    boolean agnostic = false;
    int batchSize = 8;
    long maxPixels = 100_000_000L;
    int threads = 1;
    List<Sampling> sampling = new ArrayList<>();
    long segmentS = 120;
    int decodeThreads = 1;
    double maxFailureRate = 1;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (flag.equals("--class-agnostic-nms")) {
        agnostic = true;
        continue;
      }
      if (flag.equals("--keyframes-only")) {
        sampling.add(Sampling.keyframesOnly());
        continue;
      }
      if (!flag.startsWith("--")) {
        throw new UsageException("unexpected argument '" + flag + "'");
      }
      if (i + 1 >= args.length) {
        throw new UsageException(flag + " needs a value");
      }
      String value = args[++i];
      switch (flag) {
        case "--input" -> inputs.add(value);
        case "--manifest" -> manifests.add(value);
        case "--detector" -> detectors.add(value);
        case "--anomaly" -> anomalyModels.add(value);
        case "--output" -> output = value;
        case "--run-date" -> runDate = date(value);
        case "--score-threshold" -> score = fraction(flag, value, true);
        case "--iou-threshold" -> iou = fraction(flag, value, false);
        case "--max-detections" -> maxDetections = (int) positive(flag, value);
        case "--batch-size" -> batchSize = (int) positive(flag, value);
        case "--max-image-pixels" -> maxPixels = positive(flag, value);
        case "--intra-op-threads" -> threads = (int) positive(flag, value);
        case "--sample-ms" -> sampling.add(Sampling.sampleMs(positive(flag, value)));
        case "--every-n-frames" -> sampling.add(Sampling.everyNFrames(positive(flag, value)));
        case "--video-segment-s" -> segmentS = positive(flag, value);
        case "--decode-threads" -> decodeThreads = (int) positive(flag, value);
        case "--max-failure-rate" -> maxFailureRate = fraction(flag, value, true);
        case "--conf" -> {
          int eq = value.indexOf('=');
          if (eq <= 0) {
            throw new UsageException("--conf must be KEY=VALUE, got '" + value + "'");
          }
          conf.put(value.substring(0, eq), value.substring(eq + 1));
        }
        default -> throw new UsageException("unknown option " + flag);
      }
    }
    if (inputs.isEmpty() && manifests.isEmpty()) {
      throw new UsageException("--input or --manifest is required: the folder or prefix holding the images and videos");
    }
    if (sampling.size() > 1) {
      throw new UsageException("choose one of --sample-ms, --every-n-frames and --keyframes-only, got " + sampling);
    }
    if (detectors.isEmpty() && anomalyModels.isEmpty()) {
      throw new UsageException(
          "a model is required: --detector or --anomaly, each an ONNX file or a model package folder");
    }
    if (output == null) {
      throw new UsageException("--output is required: the root folder of the result tables");
    }
    return new InspectArgs(
        List.copyOf(inputs),
        List.copyOf(manifests),
        List.copyOf(detectors),
        List.copyOf(anomalyModels),
        output,
        runDate,
        new DetectionOptions(score, iou, maxDetections, agnostic),
        batchSize,
        maxPixels,
        threads,
        sampling.isEmpty() ? Sampling.DEFAULT : sampling.get(0),
        segmentS * 1000,
        decodeThreads,
        maxFailureRate,
        Map.copyOf(conf));
  }

  private static LocalDate date(String value) throws UsageException {
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw new UsageException("--run-date must be YYYY-MM-DD, got '" + value + "'");
    }
  }

  private static double fraction(String flag, String value, boolean zeroAllowed) throws UsageException {
    double v;
    try {
      v = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      v = Double.NaN;
    }
    if (!(v <= 1) || !(zeroAllowed ? v >= 0 : v > 0)) {
      throw new UsageException(flag + " must be a number in " + (zeroAllowed ? "[0, 1]" : "(0, 1]") + ", got '" + value + "'");
    }
    return v;
  }

  private static long positive(String flag, String value) throws UsageException {
    try {
      long v = Long.parseLong(value);
      if (v > 0 && v <= Integer.MAX_VALUE || flag.equals("--max-image-pixels") && v > 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // fall through to the message
    }
    throw new UsageException(flag + " must be a positive whole number, got '" + value + "'");
  }
}
