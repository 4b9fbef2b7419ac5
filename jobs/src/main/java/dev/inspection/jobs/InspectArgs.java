package dev.inspection.jobs;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.inspection.detect.DetectionOptions;
import dev.inspection.image.ImageDecoder;
import dev.inspection.video.Sampling;
import dev.inspection.video.VideoReader;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;

/**
 * The inspection job's settings, validated: from the command line (what spark-submit passes after the jar, and what
 * {@code scripts/inspect.sh} passes in local mode) over a HOCON or JSON config file ({@code --config}) whose keys are
 * the flags' names.
 */
public record InspectArgs(
    List<String> inputs,
    List<String> manifests,
    List<ModelRef> detectors,
    List<ModelRef> anomalyModels,
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
    boolean incremental,
    Map<String, String> conf)
    implements Serializable {

  /**
   * A model to load, and the SHA-256 of its ONNX file where the configuration pins one ({@code URI#sha256=HEX} on the
   * command line, {@code {uri = URI, sha256 = HEX}} in a config file); null where not pinned.
   */
  public record ModelRef(String uri, String sha256) implements Serializable {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final String PIN = "#sha256=";

    static ModelRef parse(String value, String label) throws UsageException {
      int pin = value.indexOf(PIN);
      if (pin < 0) {
        return new ModelRef(value, null);
      }
      String sha256 = value.substring(pin + PIN.length()).toLowerCase(java.util.Locale.ROOT);
      if (!SHA256.matcher(sha256).matches()) {
        throw new UsageException(label + " sha256 must be 64 hexadecimal digits, got '" + sha256 + "'");
      }
      return new ModelRef(value.substring(0, pin), sha256);
    }

    @Override
    public String toString() {
      return sha256 == null ? uri : uri + PIN + sha256;
    }
  }

  public static final String USAGE =
      String.join(
          "\n",
          "Usage: inspect [--config FILE] (--input URI | --manifest URI) ... (--detector URI | --anomaly URI) ...",
          "               --output URI [options]",
          "  --config FILE          HOCON or JSON file (local or any Hadoop filesystem) whose keys are these options'",
          "                         names without dashes, plus conf { KEY = VALUE }; flags given here override it",
          "  --input URI            folder, prefix or file on any Hadoop filesystem (s3a://, file://, hdfs://, local path),",
          "                         searched recursively for images (" + String.join(", ", ImageDecoder.EXTENSIONS) + ")",
          "                         and videos (" + String.join(", ", VideoReader.EXTENSIONS) + "); repeatable",
          "  --manifest URI         CSV (with a header) or Parquet listing inputs: column uri, optional video_id,",
          "                         frame_number, frame_time_ms; other columns pass through as metadata; repeatable",
          "  --detector URI         ONNX detector file, or a model package folder with model.json; repeatable;",
          "                         URI#sha256=HEX pins the ONNX file's checksum: a different file stops the run",
          "  --anomaly URI          ONNX anomaly model (anomalib 2.x or 1.x export with metadata.json beside it),",
          "                         or a model package folder; repeatable; URI#sha256=HEX pins it",
          "  --output URI           table root: regions/, image_scores/, heatmap_summaries/, heatmaps/, errors/, runs/,",
          "                         processed_inputs/",
          "  --run-date YYYY-MM-DD  partition to write, replacing what an earlier run wrote there (default: today, UTC)",
          "  --incremental          only inputs that no earlier successful run inspected with the same models",
          "                         (same path, size and modification time), by the ledger in processed_inputs/",
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

  /** Options that take no value on the command line, and true or false in a config file. */
  private static final Set<String> SWITCHES = Set.of("class-agnostic-nms", "keyframes-only", "incremental");

  /** Options that may be given many times, and lists in a config file. */
  private static final Set<String> REPEATABLE = Set.of("input", "manifest", "detector", "anomaly", "conf");

  private static final Set<String> SAMPLING = Set.of("sample-ms", "every-n-frames", "keyframes-only");

  private static final Set<String> KEYS =
      Set.of("input", "manifest", "detector", "anomaly", "output", "run-date", "incremental", "score-threshold",
          "iou-threshold", "max-detections", "class-agnostic-nms", "batch-size", "max-image-pixels",
          "intra-op-threads", "sample-ms", "every-n-frames", "keyframes-only", "video-segment-s", "decode-threads",
          "max-failure-rate", "conf");

  /** Keys whose values are credentials: masked wherever the configuration is shown or stored. */
  private static final Pattern SECRET =
      Pattern.compile("(?i).*(secret|password|passwd|token|credential|access[._-]?key|session[._-]?key|signature).*");

  static final String MASK = "*****";

  /**
   * One setting as given: a key (a flag's name without dashes), its value, and the config file it came from (null
   * for the command line).
   */
  private record Setting(String key, String value, String file) {
    String label() {
      return file == null ? "--" + key : key + " in " + file;
    }
  }

  /** Parses the command line alone, reading the config file it names from the local or a Hadoop filesystem. */
  public static InspectArgs parse(String... args) throws UsageException {
    List<Setting> flags = new ArrayList<>();
    String configFile = null;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (!flag.startsWith("--")) {
        throw new UsageException("unexpected argument '" + flag + "'");
      }
      String key = flag.substring(2);
      if (SWITCHES.contains(key)) {
        flags.add(new Setting(key, "true", null));
        continue;
      }
      if (!KEYS.contains(key) && !key.equals("config")) {
        throw new UsageException("unknown option " + flag);
      }
      if (i + 1 >= args.length) {
        throw new UsageException(flag + " needs a value");
      }
      String value = args[++i];
      if (key.equals("config")) {
        configFile = value;
      } else {
        flags.add(new Setting(key, value, null));
      }
    }
    if (configFile == null) {
      return resolve(flags);
    }
    List<Setting> settings = new ArrayList<>(readConfig(configFile, hadoopConf(flags)));
    // A flag replaces the file's values of its key (all of them, for lists); conf settings are replaced key by key.
    Set<String> given = new java.util.HashSet<>();
    Set<String> confGiven = new java.util.HashSet<>();
    for (Setting flag : flags) {
      given.add(SAMPLING.contains(flag.key()) ? "sampling" : flag.key());
      if (flag.key().equals("conf")) {
        confGiven.add(flag.value().substring(0, Math.max(0, flag.value().indexOf('='))));
      }
    }
    settings.removeIf(s -> s.key().equals("conf")
        ? confGiven.contains(s.value().substring(0, s.value().indexOf('=')))
        : given.contains(SAMPLING.contains(s.key()) ? "sampling" : s.key()));
    settings.addAll(flags);
    return resolve(settings);
  }

  /**
   * What reading the config file itself may need: Hadoop settings from spark-submit ({@code --conf spark.hadoop.*},
   * which it passes as system properties) and from this command line's {@code --conf} flags.
   */
  private static Configuration hadoopConf(List<Setting> flags) {
    Configuration conf = new Configuration();
    System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("spark.hadoop."))
        .forEach(k -> conf.set(k.substring("spark.hadoop.".length()), System.getProperty(k)));
    for (Setting s : flags) {
      int eq = s.value().indexOf('=');
      if (s.key().equals("conf") && eq > 0 && !s.value().startsWith("spark.")) {
        conf.set(s.value().substring(0, eq), s.value().substring(eq + 1));
      }
    }
    return conf;
  }

  /** The settings of a config file, each checked against the known keys and shapes. */
  private static List<Setting> readConfig(String uri, Configuration hadoop) throws UsageException {
    String text;
    try {
      text = new String(Storage.readAll(uri, hadoop), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UsageException("--config " + uri + " cannot be read: " + e.getMessage(), e);
    }
    Config config;
    try {
      config = ConfigFactory.parseString(text, ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF)
          .setOriginDescription(uri)).resolve();
    } catch (ConfigException e) {
      throw new UsageException("--config " + uri + " is not valid HOCON: " + e.getMessage(), e);
    }
    String file = uri.substring(uri.lastIndexOf('/') + 1);
    List<Setting> settings = new ArrayList<>();
    for (Map.Entry<String, ConfigValue> entry : config.root().entrySet()) {
      String key = entry.getKey();
      ConfigValue value = entry.getValue();
      if (!KEYS.contains(key)) {
        throw new UsageException("unknown key '" + key + "' in " + file + " (line " + value.origin().lineNumber()
            + "); the keys are " + new java.util.TreeSet<>(KEYS));
      }
      String label = key + " in " + file;
      if (key.equals("conf")) {
        if (value.valueType() != ConfigValueType.OBJECT) {
          throw new UsageException(label + " must be an object of KEY = VALUE settings");
        }
        for (Map.Entry<String, ConfigValue> c : ((ConfigObject) value).toConfig().entrySet()) {
          String name = String.join(".", ConfigUtil.splitPath(c.getKey()));
          settings.add(new Setting(key, name + "=" + scalar("conf." + name + " in " + file, c.getValue()), file));
        }
      } else if (REPEATABLE.contains(key) && value.valueType() == ConfigValueType.LIST) {
        for (ConfigValue element : (Iterable<ConfigValue>) value) {
          settings.add(new Setting(key, listElement(key, label, element), file));
        }
      } else if (REPEATABLE.contains(key)) {
        settings.add(new Setting(key, listElement(key, label, value), file));
      } else if (SWITCHES.contains(key)) {
        if (value.valueType() != ConfigValueType.BOOLEAN) {
          throw new UsageException(label + " must be true or false, got '" + value.unwrapped() + "'");
        }
        if ((Boolean) value.unwrapped()) {
          settings.add(new Setting(key, "true", file));
        }
      } else {
        settings.add(new Setting(key, scalar(label, value), file));
      }
    }
    return settings;
  }

  /** A list element: a string, or for models an object {@code {uri = ..., sha256 = ...}}. */
  private static String listElement(String key, String label, ConfigValue value) throws UsageException {
    if ((key.equals("detector") || key.equals("anomaly")) && value.valueType() == ConfigValueType.OBJECT) {
      Config model = ((ConfigObject) value).toConfig();
      for (String field : ((ConfigObject) value).keySet()) {
        if (!field.equals("uri") && !field.equals("sha256")) {
          throw new UsageException("unknown key '" + field + "' in a model of " + label + "; a model has uri and sha256");
        }
      }
      if (!model.hasPath("uri")) {
        throw new UsageException("a model of " + label + " has no uri");
      }
      String uri = scalar(label, model.getValue("uri"));
      return model.hasPath("sha256") ? uri + ModelRef.PIN + scalar(label, model.getValue("sha256")) : uri;
    }
    return scalar(label, value);
  }

  private static String scalar(String label, ConfigValue value) throws UsageException {
    return switch (value.valueType()) {
      case STRING, NUMBER, BOOLEAN -> String.valueOf(value.unwrapped());
      default -> throw new UsageException(label + " must be a single value, got " + value.render(com.typesafe.config.ConfigRenderOptions.concise()));
    };
  }

  /** Validates the settings, in order: of a key given more than once that is not a list, the last one counts. */
  private static InspectArgs resolve(List<Setting> settings) throws UsageException {
    List<String> inputs = new ArrayList<>();
    List<String> manifests = new ArrayList<>();
    List<ModelRef> detectors = new ArrayList<>();
    List<ModelRef> anomalyModels = new ArrayList<>();
    Map<String, String> conf = new LinkedHashMap<>();
    String output = null;
    LocalDate runDate = LocalDate.now(ZoneOffset.UTC);
    Double score = null;
    Double iou = null;
    Integer maxDetections = null;
    boolean agnostic = false;
    boolean incremental = false;
    int batchSize = 8;
    long maxPixels = 100_000_000L;
    int threads = 1;
    List<Sampling> sampling = new ArrayList<>();
    long segmentS = 120;
    int decodeThreads = 1;
    double maxFailureRate = 1;
    for (Setting s : settings) {
      String value = s.value();
      String label = s.label();
      switch (s.key()) {
        case "input" -> inputs.add(value);
        case "manifest" -> manifests.add(value);
        case "detector" -> detectors.add(ModelRef.parse(value, label));
        case "anomaly" -> anomalyModels.add(ModelRef.parse(value, label));
        case "output" -> output = value;
        case "run-date" -> runDate = date(label, value);
        case "incremental" -> incremental = true;
        case "class-agnostic-nms" -> agnostic = true;
        case "keyframes-only" -> sampling.add(Sampling.keyframesOnly());
        case "score-threshold" -> score = fraction(label, value, true);
        case "iou-threshold" -> iou = fraction(label, value, false);
        case "max-detections" -> maxDetections = (int) positive(label, value, Integer.MAX_VALUE);
        case "batch-size" -> batchSize = (int) positive(label, value, Integer.MAX_VALUE);
        case "max-image-pixels" -> maxPixels = positive(label, value, Long.MAX_VALUE);
        case "intra-op-threads" -> threads = (int) positive(label, value, Integer.MAX_VALUE);
        case "sample-ms" -> sampling.add(Sampling.sampleMs(positive(label, value, Integer.MAX_VALUE)));
        case "every-n-frames" -> sampling.add(Sampling.everyNFrames(positive(label, value, Integer.MAX_VALUE)));
        case "video-segment-s" -> segmentS = positive(label, value, Integer.MAX_VALUE);
        case "decode-threads" -> decodeThreads = (int) positive(label, value, Integer.MAX_VALUE);
        case "max-failure-rate" -> maxFailureRate = fraction(label, value, true);
        case "conf" -> {
          int eq = value.indexOf('=');
          if (eq <= 0) {
            throw new UsageException(label + " must be KEY=VALUE, got '" + value + "'");
          }
          conf.put(value.substring(0, eq), value.substring(eq + 1));
        }
        default -> throw new IllegalStateException("unhandled key " + s.key());
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
        incremental,
        java.util.Collections.unmodifiableMap(conf));
  }

  /**
   * Every setting the run uses, defaults included, sorted by key, with credentials masked: what the job logs at start
   * and stores in the runs table. Lists are comma-separated; Spark and Hadoop settings are {@code conf.KEY}.
   */
  public SortedMap<String, String> resolved() {
    SortedMap<String, String> r = new TreeMap<>();
    r.put("input", String.join(",", inputs));
    r.put("manifest", String.join(",", manifests));
    r.put("detector", String.join(",", detectors.stream().map(ModelRef::toString).toList()));
    r.put("anomaly", String.join(",", anomalyModels.stream().map(ModelRef::toString).toList()));
    r.put("output", output);
    r.put("run-date", runDate.toString());
    r.put("incremental", String.valueOf(incremental));
    r.put("score-threshold", detection.scoreThreshold() == null ? "model's" : detection.scoreThreshold().toString());
    r.put("iou-threshold", detection.iouThreshold() == null ? "model's" : detection.iouThreshold().toString());
    r.put("max-detections", detection.maxDetections() == null ? "model's" : detection.maxDetections().toString());
    r.put("class-agnostic-nms", String.valueOf(detection.classAgnostic()));
    r.put("batch-size", String.valueOf(batchSize));
    r.put("max-image-pixels", String.valueOf(maxImagePixels));
    r.put("intra-op-threads", String.valueOf(intraOpThreads));
    r.put("sampling", sampling.toString());
    r.put("video-segment-s", String.valueOf(videoSegmentMs / 1000));
    r.put("decode-threads", String.valueOf(decodeThreads));
    r.put("max-failure-rate", String.valueOf(maxFailureRate));
    conf.forEach((k, v) -> r.put("conf." + k, SECRET.matcher(k).matches() ? MASK : v));
    r.replaceAll((k, v) -> maskUserInfo(v));
    return r;
  }

  /** Credentials written into a URI ({@code s3a://KEY:SECRET@bucket/}) are masked too. */
  private static String maskUserInfo(String value) {
    return value.replaceAll("(?<=://)[^/@\\s]+@", MASK + "@");
  }

  private static LocalDate date(String label, String value) throws UsageException {
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw new UsageException(label + " must be YYYY-MM-DD, got '" + value + "'");
    }
  }

  private static double fraction(String label, String value, boolean zeroAllowed) throws UsageException {
    double v;
    try {
      v = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      v = Double.NaN;
    }
    if (!(v <= 1) || !(zeroAllowed ? v >= 0 : v > 0)) {
      throw new UsageException(label + " must be a number in " + (zeroAllowed ? "[0, 1]" : "(0, 1]") + ", got '" + value + "'");
    }
    return v;
  }

  private static long positive(String label, String value, long max) throws UsageException {
    try {
      long v = Long.parseLong(value);
      if (v > 0 && v <= max) {
        return v;
      }
    } catch (NumberFormatException e) {
      // fall through to the message
    }
    throw new UsageException(label + " must be a positive whole number, got '" + value + "'");
  }
}
