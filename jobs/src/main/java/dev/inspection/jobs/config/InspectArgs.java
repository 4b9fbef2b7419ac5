package dev.inspection.jobs.config;

import dev.inspection.detect.DetectionOptions;
import dev.inspection.image.ImageDecoder;
import dev.inspection.model.ModelDescriptor;
import dev.inspection.model.ModelPackage;
import dev.inspection.tile.TileMerge;
import dev.inspection.tile.Tiling;
import dev.inspection.track.TrackerSettings;
import dev.inspection.track.Tracking;
import dev.inspection.video.Sampling;
import dev.inspection.video.VideoReader;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The inspection job's settings, validated: from the command line (what spark-submit passes after the jar, and what
 * {@code scripts/inspect.sh} passes in local mode) over a HOCON or JSON config file ({@code --config}) whose keys are
 * the options' names without their dashes.
 *
 * <p>Each option is declared once, as a field below: its name, type, default, description and check (its converter).
 * The usage text, the config file's keys and {@link #resolved()} all follow from these declarations.
 */
@Command(
        name = "inspect",
        customSynopsis = {
            "inspect [--config FILE] (--input URI | --manifest URI) ... (--detector URI | --anomaly URI) ...",
            "               --output URI [options]"
        },
        sortOptions = false,
        usageHelpWidth = 120)
public final class InspectArgs implements Serializable {
    private static final long serialVersionUID = 1L;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "HOCON or JSON file (local or any Hadoop filesystem)"
                            + " whose keys are these options' names without dashes, plus conf { KEY = VALUE }; flags given here override it")
    private String config;

    @Option(
            names = "--input",
            paramLabel = "URI",
            description =
                    "folder, prefix or file on any Hadoop filesystem"
                            + " (s3a://, file://, hdfs://, local path), searched recursively for images and videos (formats below); repeatable")
    private List<String> inputs = new ArrayList<>();

    @Option(
            names = "--manifest",
            paramLabel = "URI",
            description =
                    "CSV (with a header) or Parquet listing inputs:"
                            + " column uri, optional video_id, frame_number, frame_time_ms; other columns pass through as metadata; repeatable")
    private List<String> manifests = new ArrayList<>();

    @Option(
            names = "--detector",
            paramLabel = "URI",
            converter = Converters.Model.class,
            description = "ONNX detector file, or a"
                    + " model package folder with model.json; repeatable; URI#sha256=HEX pins the ONNX file's checksum: a different"
                    + " file stops the run")
    private List<ModelRef> detectors = new ArrayList<>();

    @Option(
            names = "--anomaly",
            paramLabel = "URI",
            converter = Converters.Model.class,
            description = "ONNX anomaly model"
                    + " (anomalib 2.x or 1.x export with metadata.json beside it), or a model package folder; repeatable;"
                    + " URI#sha256=HEX pins it")
    private List<ModelRef> anomalyModels = new ArrayList<>();

    @Option(
            names = "--output",
            paramLabel = "URI",
            description = "table root: regions/, image_scores/,"
                    + " heatmap_summaries/, heatmaps/, tracks/, errors/, runs/, processed_inputs/")
    private String output;

    @Option(
            names = "--run-date",
            paramLabel = "YYYY-MM-DD",
            defaultValue = "today",
            converter = Converters.Day.class,
            description =
                    "partition to write, replacing what an earlier run wrote there (default ${DEFAULT-VALUE}, UTC)")
    private LocalDate runDate;

    @Option(
            names = "--incremental",
            description = "only inputs that no earlier successful run inspected with the same"
                    + " models (same path, size and modification time), by the ledger in processed_inputs/")
    private boolean incremental;

    @Option(
            names = "--score-threshold",
            paramLabel = "X",
            converter = Converters.Share.class,
            description = "minimum detection score in [0, 1] (default: the model's, else 0.25)")
    private Double scoreThreshold;

    @Option(
            names = "--iou-threshold",
            paramLabel = "X",
            converter = Converters.PositiveShare.class,
            description = "NMS IoU threshold in (0, 1] (default: the model's, else 0.7)")
    private Double iouThreshold;

    @Option(
            names = "--max-detections",
            paramLabel = "N",
            converter = Converters.PositiveInt.class,
            description = "detections kept per image and model (default: the model's, else 300)")
    private Integer maxDetections;

    @Option(names = "--class-agnostic-nms", description = "let boxes of different classes suppress each other")
    private boolean classAgnosticNms;

    @Option(
            names = "--batch-size",
            paramLabel = "N",
            defaultValue = "8",
            converter = Converters.PositiveInt.class,
            description = "images per inference call (default ${DEFAULT-VALUE}; models with a fixed batch use theirs)")
    private int batchSize;

    @Option(
            names = "--max-image-pixels",
            paramLabel = "N",
            defaultValue = "100000000",
            converter = Converters.PositiveLong.class,
            description = "larger images are rejected into errors/ before decoding (default ${DEFAULT-VALUE})")
    private long maxImagePixels;

    @Option(
            names = "--fast-decode",
            description = "decode an untiled JPEG much larger than the models see it at 1/2, 1/4 or 1/8 in the DCT"
                    + " domain, to the least size not below what the models need: faster, but not the pixels the"
                    + " model was validated on (by default every photo is decoded in full, as Ultralytics does)")
    private boolean fastDecode;

    @Option(
            names = "--read-ahead-files",
            paramLabel = "N",
            defaultValue = "16",
            converter = Converters.PositiveInt.class,
            description = "photos a task reads ahead of the one it decodes, so that storage latency overlaps inference"
                    + " (default ${DEFAULT-VALUE})")
    private int readAheadFiles;

    @Option(
            names = "--read-ahead-mb",
            paramLabel = "N",
            defaultValue = "64",
            converter = Converters.PositiveInt.class,
            description = "megabytes of photos, by listed size, a task holds read ahead; a larger photo is read alone"
                    + " (default ${DEFAULT-VALUE})")
    private int readAheadMb;

    @Option(
            names = "--intra-op-threads",
            paramLabel = "N",
            defaultValue = "1",
            converter = Converters.PositiveInt.class,
            description =
                    "ONNX Runtime threads per inference (default ${DEFAULT-VALUE}: Spark's task slots run in parallel)")
    private int intraOpThreads;

    @Option(
            names = "--sample-ms",
            paramLabel = "N",
            converter = Converters.PositiveInt.class,
            description = "videos: the first frame at or after every N ms of presentation time (default "
                    + DEFAULT_SAMPLE_MS + "; " + TRACK_SAMPLE_MS + " with --track)")
    private Integer sampleMs;

    @Option(
            names = "--every-n-frames",
            paramLabel = "N",
            converter = Converters.PositiveInt.class,
            description = "videos: frames 0, N, 2N, ... instead")
    private Integer everyNFrames;

    @Option(
            names = "--keyframes-only",
            description = "videos: every keyframe instead (the other frames are not decoded)")
    private boolean keyframesOnly;

    @Option(
            names = "--video-segment-s",
            paramLabel = "N",
            defaultValue = "120",
            converter = Converters.PositiveInt.class,
            description = "videos longer than this are split into keyframe-aligned segments of about N s, decoded as"
                    + " separate tasks (default ${DEFAULT-VALUE})")
    private int videoSegmentS;

    @Option(
            names = "--decode-threads",
            paramLabel = "N",
            defaultValue = "1",
            converter = Converters.PositiveInt.class,
            description = "FFmpeg threads per video task (default ${DEFAULT-VALUE}, like --intra-op-threads)")
    private int decodeThreads;

    @Option(
            names = "--track",
            description = "videos: follow the objects each detector finds from frame to frame (ByteTrack): regions"
                    + " get a track_id, and tracks/ one row per track; samples every " + TRACK_SAMPLE_MS
                    + " ms unless a sampling option is given; needs a --detector")
    private boolean track;

    @Option(
            names = "--track-high-thresh",
            paramLabel = "X",
            defaultValue = "0.25",
            converter = Converters.Share.class,
            description = "tracking: detections scored at least this are matched first and may start tracks (default"
                    + " ${DEFAULT-VALUE})")
    private double trackHighThresh;

    @Option(
            names = "--track-low-thresh",
            paramLabel = "X",
            defaultValue = "0.1",
            converter = Converters.Share.class,
            description = "tracking: detections scored above this, and below --track-high-thresh, can only keep a"
                    + " track going (default ${DEFAULT-VALUE})")
    private double trackLowThresh;

    @Option(
            names = "--new-track-thresh",
            paramLabel = "X",
            defaultValue = "0.25",
            converter = Converters.Share.class,
            description = "tracking: an unmatched detection starts a track when scored at least this (default"
                    + " ${DEFAULT-VALUE})")
    private double newTrackThresh;

    @Option(
            names = "--track-buffer",
            paramLabel = "N",
            defaultValue = "30",
            converter = Converters.WholeNumber.class,
            description = "tracking: frames at 30 fps a lost track is kept, scaled to the sampled frame rate (default"
                    + " ${DEFAULT-VALUE})")
    private int trackBuffer;

    @Option(
            names = "--match-thresh",
            paramLabel = "X",
            defaultValue = "0.8",
            converter = Converters.Share.class,
            description = "tracking: the most 1 - IoU x score a track and a detection are matched at (default"
                    + " ${DEFAULT-VALUE})")
    private double matchThresh;

    @Option(
            names = "--tile-size",
            paramLabel = "N",
            converter = Converters.WholeNumber.class,
            description =
                    "detectors: cut each photo larger than N x N pixels into N x N tiles, each seen at the model's"
                            + " input size, and merge what the tiles found once per photo; 0: whole photos (default:"
                            + " the detectors' packages' tile_size, else 0)")
    private Integer tileSize;

    @Option(
            names = "--tile-overlap",
            paramLabel = "R",
            converter = Converters.Overlap.class,
            description = "tiled: the share of a tile that its neighbours overlap, in [0, 1) (default: the detectors'"
                    + " packages' tile_overlap, else 0.2)")
    private Double tileOverlap;

    @Option(
            names = "--no-full-frame",
            description = "tiled: no whole-photo pass beside the tiles (by default its detections are merged with"
                    + " the tiles', so objects larger than a tile are found whole)")
    private boolean noFullFrame;

    @Option(
            names = "--tile-merge",
            paramLabel = "nmm|nms",
            defaultValue = "nmm",
            converter = Converters.MergeStrategy.class,
            description = "tiled: greedy non-maximum merging (nmm) or suppression (nms) of the tiles' detections, on"
                    + " intersection over the smaller box at 0.5, class-aware (default ${DEFAULT-VALUE})")
    private TileMerge.Strategy tileMerge;

    @Option(
            names = "--tiles-per-task",
            paramLabel = "N",
            defaultValue = "64",
            converter = Converters.PositiveInt.class,
            description = "tiled: a photo of more tiles is inspected by several tasks, N tiles each (default"
                    + " ${DEFAULT-VALUE})")
    private int tilesPerTask;

    @Option(
            names = "--max-failure-rate",
            paramLabel = "R",
            defaultValue = "1",
            converter = Converters.Share.class,
            description =
                    "the run fails (exit 4, FAILED in runs) when more than this share of the inputs ends in errors/,"
                            + " in [0, 1] (default ${DEFAULT-VALUE}: never)")
    private double maxFailureRate;

    @Option(
            names = "--labels",
            paramLabel = "URI",
            description = "evaluation only (scripts/evaluate.sh): the labels of the inputs, an Ultralytics dataset"
                    + " folder (images/, labels/), a folder of YOLO .txt labels, COCO instances JSON, a box CSV, an"
                    + " MVTec AD category folder or a CSV of uri,label[,mask_uri]")
    private String labels;

    @Option(
            names = "--calibrate",
            description = "evaluation only: choose each anomaly model's image and pixel thresholds on the labeled"
                    + " images (F1-best, as anomalib) and write a calibrated model package under calibrated/")
    private boolean calibrate;

    @Option(
            names = "--calibrate-fpr",
            paramLabel = "X",
            converter = Converters.Share.class,
            description = "evaluation only: calibrate instead at this false-positive rate of the normal images (the"
                    + " threshold that this share of them exceed), with normal images alone if need be")
    private Double calibrateFpr;

    @Option(
            names = "--conf",
            paramLabel = "KEY=VALUE",
            converter = Converters.Setting.class,
            description =
                    "Spark setting"
                            + " (spark.*) or Hadoop setting (fs.s3a.* and others); repeatable; of a key set twice, the last counts")
    private List<String> conf = new ArrayList<>();

    /** Whether {@code scoreThreshold} is the evaluation's, not the configuration's. */
    private boolean evaluationThreshold;

    static final int DEFAULT_SAMPLE_MS = 1000;

    /** Tracking follows objects over frames close together: ByteTrack's motion model expects small steps. */
    static final int TRACK_SAMPLE_MS = 100;

    /** The options that choose how videos are sampled: one at most, and a flag of them replaces the file's sampling. */
    private static final Set<String> SAMPLING = Set.of("sample-ms", "every-n-frames", "keyframes-only");

    /** The options of an evaluation only: the inspection job refuses them. */
    public static final Set<String> EVALUATION = Set.of("labels", "calibrate", "calibrate-fpr");

    /** Keys whose values are credentials: masked wherever the configuration is shown or stored. */
    private static final Pattern SECRET = Pattern.compile(
            "(?i).*(secret|password|passwd|token|credential|access[._-]?key|session[._-]?key|signature).*");

    public static final String MASK = "*****";

    /** The usage text: the options as declared, with their defaults, and the formats of the inputs. */
    public static final String USAGE = usage();

    InspectArgs() {}

    public List<String> inputs() {
        return Collections.unmodifiableList(inputs);
    }

    public List<String> manifests() {
        return Collections.unmodifiableList(manifests);
    }

    public List<ModelRef> detectors() {
        return Collections.unmodifiableList(detectors);
    }

    public List<ModelRef> anomalyModels() {
        return Collections.unmodifiableList(anomalyModels);
    }

    public String output() {
        return output;
    }

    public LocalDate runDate() {
        return runDate;
    }

    public DetectionOptions detection() {
        return new DetectionOptions(scoreThreshold, iouThreshold, maxDetections, classAgnosticNms);
    }

    public int batchSize() {
        return batchSize;
    }

    public long maxImagePixels() {
        return maxImagePixels;
    }

    public int intraOpThreads() {
        return intraOpThreads;
    }

    /**
     * The sampling option given (parse lets through one at most), else sample-ms's default: every 1000 ms, or every 100
     * ms with {@code --track}.
     */
    public Sampling sampling() {
        if (keyframesOnly) {
            return Sampling.keyframesOnly();
        }
        if (everyNFrames != null) {
            return Sampling.everyNFrames(everyNFrames);
        }
        return Sampling.sampleMs(sampleMs != null ? sampleMs : track ? TRACK_SAMPLE_MS : DEFAULT_SAMPLE_MS);
    }

    /** Whether the run tracks objects in videos, with ByteTrack's settings as given (checked by parse). */
    public Tracking tracking() {
        return track
                ? Tracking.byteTrack(new TrackerSettings(
                        trackHighThresh, trackLowThresh, newTrackThresh, trackBuffer, matchThresh, true))
                : Tracking.OFF;
    }

    public long videoSegmentMs() {
        return videoSegmentS * 1000L;
    }

    public int decodeThreads() {
        return decodeThreads;
    }

    public boolean fastDecode() {
        return fastDecode;
    }

    public int readAheadFiles() {
        return readAheadFiles;
    }

    public long readAheadBytes() {
        return readAheadMb * 1024L * 1024L;
    }

    /**
     * The run's tiling, the one that the planner, the tasks, the merge, the runs table and the ledger all see. Each of
     * {@code --tile-size} and {@code --tile-overlap} is the configuration's where it gives one (on the command line or
     * in the config file), else the one the detectors' packages declare ({@code tile_size}, {@code tile_overlap} in
     * {@code model.json}; a package that declares none has no say), else 0 (whole photos) and 0.2.
     *
     * @param detectors the run's detectors, read
     * @throws UsageException where packages declare different values and the configuration does not settle it
     */
    public Tiling tiling(List<ModelPackage> detectors) throws UsageException {
        int size = tileSize != null
                ? tileSize
                : declared(detectors, "tile_size", "--tile-size", ModelDescriptor::tileSize, Tiling.OFF.size());
        double overlap = tileOverlap != null
                ? tileOverlap
                : declared(
                        detectors,
                        "tile_overlap",
                        "--tile-overlap",
                        ModelDescriptor::tileOverlap,
                        Tiling.OFF.overlap());
        return new Tiling(size, overlap, !noFullFrame, tileMerge, tilesPerTask);
    }

    /** The value the packages that declare {@code field} agree on, else {@code fallback} where none declares it. */
    private static <T> T declared(
            List<ModelPackage> packages,
            String field,
            String flag,
            Function<ModelDescriptor, T> declaration,
            T fallback)
            throws UsageException {
        Set<T> values = new LinkedHashSet<>();
        List<String> declarations = new ArrayList<>();
        for (ModelPackage pkg : packages) {
            T value = declaration.apply(pkg.descriptor());
            if (value != null) {
                values.add(value);
                declarations.add(pkg.defaultName() + " (" + pkg.uri() + ") " + field + " " + value);
            }
        }
        if (values.size() > 1) {
            throw new UsageException("the detectors' packages declare different tiling: "
                    + String.join(", ", declarations) + "; " + flag + " (" + flag.substring(2)
                    + " in a config file) settles it for the run");
        }
        return values.isEmpty() ? fallback : values.iterator().next();
    }

    /** The labels an evaluation checks the models against, or null for an inspection. */
    public String labels() {
        return labels;
    }

    /** Whether the evaluation calibrates its anomaly models' thresholds ({@code --calibrate} or {@code --calibrate-fpr}). */
    public boolean calibrate() {
        return calibrate || calibrateFpr != null;
    }

    /** The false-positive rate to calibrate at, or null for the F1-best thresholds. */
    public Double calibrateFpr() {
        return calibrateFpr;
    }

    /**
     * These settings as an evaluation runs them: detections down to {@code scoreThreshold} where no
     * {@code --score-threshold} was given (mAP needs the whole precision-recall curve).
     */
    public InspectArgs forEvaluation(double scoreThreshold) {
        if (this.scoreThreshold == null) {
            this.scoreThreshold = scoreThreshold;
            evaluationThreshold = true;
        }
        return this;
    }

    /** Where no input was given, the images the labels say where to find: a folder, or a CSV as a manifest. */
    public void inspectLabeled(String input, String manifest) {
        if (inputs.isEmpty() && manifests.isEmpty()) {
            if (input != null) {
                inputs.add(input);
            }
            if (manifest != null) {
                manifests.add(manifest);
            }
        }
    }

    /** The score threshold the configuration gives, or null where each detector's own applies. */
    public Double scoreThreshold() {
        return evaluationThreshold ? null : scoreThreshold;
    }

    public double maxFailureRate() {
        return maxFailureRate;
    }

    public boolean incremental() {
        return incremental;
    }

    /** Spark ({@code spark.*}) and Hadoop settings in the order given; of a key set twice, the last setting counts. */
    public Map<String, String> conf() {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String setting : conf) {
            int eq = setting.indexOf('=');
            settings.remove(setting.substring(0, eq)); // in the place of its last setting
            settings.put(setting.substring(0, eq), setting.substring(eq + 1));
        }
        return Collections.unmodifiableMap(settings);
    }

    /**
     * A new Hadoop configuration with this run's Hadoop settings: spark-submit's {@code --conf spark.hadoop.*} (which it
     * passes as system properties; the prefix stripped) and every {@code conf} setting that is not {@code spark.*}.
     */
    public Configuration hadoopConfiguration() {
        Configuration hadoop = new Configuration();
        String prefix = "spark.hadoop.";
        System.getProperties().stringPropertyNames().stream()
                .filter(k -> k.startsWith(prefix))
                .forEach(k -> hadoop.set(k.substring(prefix.length()), System.getProperty(k)));
        conf().forEach((k, v) -> {
            if (!k.startsWith("spark.")) {
                hadoop.set(k, v);
            }
        });
        return hadoop;
    }

    /**
     * Every option's value (but {@code config}'s, which only says where they came from), defaults included, sorted by
     * key, with credentials masked: what the job logs at start and stores in the runs table. Lists are comma-separated;
     * the sampling options are one {@code sampling}; Spark and Hadoop settings are {@code conf.KEY}; a threshold or a
     * tiling option left to the models is {@code model's} (the runs table's {@code tiling} is the run's).
     */
    public SortedMap<String, String> resolved() {
        SortedMap<String, String> r = new TreeMap<>();
        for (OptionSpec option : CommandSpec.forAnnotatedObject(this).options()) {
            String key = key(option);
            Object value = option.getValue();
            if (EVALUATION.contains(key) && (value == null || Boolean.FALSE.equals(value))) {
                continue; // the evaluation's options, where given
            }
            if (SAMPLING.contains(key)) {
                r.put("sampling", sampling().toString());
            } else if (key.equals("conf")) {
                conf().forEach((k, v) -> r.put("conf." + k, SECRET.matcher(k).matches() ? MASK : v));
            } else if (!key.equals("config")) {
                r.put(
                        key,
                        value == null
                                ? "model's"
                                : value instanceof List<?> list
                                        ? list.stream().map(String::valueOf).collect(Collectors.joining(","))
                                        : String.valueOf(value));
            }
        }
        r.replaceAll((k, v) -> maskUserInfo(v));
        return r;
    }

    @Override
    public String toString() {
        return resolved().toString();
    }

    /** Parses the command line over the config file it names (read from the local or a Hadoop filesystem). */
    public static InspectArgs parse(String... args) throws UsageException {
        ParseResult flags = read(args, key -> "--" + key);
        InspectArgs given = (InspectArgs) flags.commandSpec().userObject();
        if (given.config == null) {
            return given.checked(flags);
        }
        String file = given.config.substring(given.config.lastIndexOf('/') + 1);
        ParseResult settings = read(
                ConfigFile.asFlags(given.config, given.hadoopConfiguration(), file, flags.commandSpec()),
                key -> key + " in " + file);
        return override(settings, flags).checked(choosesSampling(flags) ? flags : settings);
    }

    /** One source's flags, parsed and type-checked by picocli; {@code label} names an option (a key) in messages. */
    private static ParseResult read(String[] args, UnaryOperator<String> label) throws UsageException {
        try {
            return new CommandLine(new InspectArgs())
                    .setOverwrittenOptionsAllowed(true) // of a value given twice, the last counts
                    .setExpandAtFiles(false) // @FILE is a value like any other
                    .parseArgs(args);
        } catch (UnmatchedArgumentException e) {
            String arg = e.getUnmatched().get(0);
            throw new UsageException(
                    arg.startsWith("-") ? "unknown option " + arg : "unexpected argument '" + arg + "'", e);
        } catch (MissingParameterException e) {
            throw new UsageException(label.apply(key(e.getMissing().get(0))) + " needs a value", e);
        } catch (ParameterException e) {
            if (e.getCause() instanceof TypeConversionException expected && e.getArgSpec() != null) {
                throw new UsageException(label.apply(key(e.getArgSpec())) + " " + expected.getMessage(), e);
            }
            throw new UsageException(e.getMessage(), e);
        }
    }

    private static boolean choosesSampling(ParseResult source) {
        return source.matchedOptions().stream().anyMatch(o -> SAMPLING.contains(key(o)));
    }

    /**
     * The file's settings with the flags over them: a flag replaces the file's value of its option (the whole list of a
     * list option; a sampling flag the file's sampling), and {@code --conf} the file's setting of its own key only.
     */
    private static InspectArgs override(ParseResult file, ParseResult flags) {
        Set<String> replaced =
                flags.matchedOptions().stream().map(InspectArgs::key).collect(Collectors.toCollection(HashSet::new));
        if (choosesSampling(flags)) {
            replaced.addAll(SAMPLING);
        }
        replaced.remove("conf");
        for (String key : replaced) {
            file.commandSpec()
                    .findOption(key)
                    .setValue(flags.commandSpec().findOption(key).getValue());
        }
        InspectArgs merged = (InspectArgs) file.commandSpec().userObject();
        merged.conf.addAll(((InspectArgs) flags.commandSpec().userObject()).conf); // the last setting of a key counts
        return merged;
    }

    /** What no single option can check; {@code sampled} is where the sampling comes from: the flags, or else the file. */
    private InspectArgs checked(ParseResult sampled) throws UsageException {
        List<String> sampling = sampled.matchedOptions().stream()
                .distinct()
                .filter(o -> SAMPLING.contains(key(o)))
                .map(o -> o.arity().max() == 0 ? key(o) : key(o) + "=" + o.getValue())
                .toList();
        if (sampling.size() > 1) {
            throw new UsageException(
                    "choose one of --sample-ms, --every-n-frames and --keyframes-only, got " + sampling);
        }
        if (inputs.isEmpty() && manifests.isEmpty() && labels == null) {
            throw new UsageException(
                    "--input or --manifest is required: the folder or prefix holding the images and videos");
        }
        if (detectors.isEmpty() && anomalyModels.isEmpty()) {
            throw new UsageException(
                    "a model is required: --detector or --anomaly, each an ONNX file or a model package folder");
        }
        if (output == null) {
            throw new UsageException("--output is required: the root folder of the result tables");
        }

        if (track && detectors.isEmpty()) {
            throw new UsageException("--track follows what detectors find: it needs a --detector");
        }
        if (track && trackLowThresh > trackHighThresh) {
            throw new UsageException("--track-low-thresh (" + trackLowThresh + ") must not be above"
                    + " --track-high-thresh (" + trackHighThresh + ")");
        }
        return this;
    }

    private static String usage() {
        CommandLine help = new CommandLine(new InspectArgs()).setSeparator(" ").setUsageHelpLongOptionsMaxWidth(22);
        help.getCommandSpec()
                .usageMessage()
                .footer(
                        "",
                        "Inputs are images (" + String.join(", ", ImageDecoder.EXTENSIONS) + ") and videos ("
                                + String.join(", ", VideoReader.EXTENSIONS) + "), any case.");
        return help.getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing();
    }

    /** An option's name without its dashes: its key in a config file and in {@link #resolved()}. */
    static String key(ArgSpec option) {
        return ((OptionSpec) option).longestName().substring(2);
    }

    /** Credentials written into a URI ({@code s3a://KEY:SECRET@bucket/}) are masked too. */
    private static String maskUserInfo(String value) {
        return value.replaceAll("(?<=://)[^/@\\s]+@", MASK + "@");
    }

    /**
     * A model to load, and the SHA-256 of its ONNX file where the configuration pins one ({@code URI#sha256=HEX} on the
     * command line, {@code {uri = URI, sha256 = HEX}} in a config file); null where not pinned.
     */
    public record ModelRef(String uri, String sha256) implements Serializable {
        private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
        static final String PIN = "#sha256=";

        static ModelRef parse(String value) {
            int pin = value.indexOf(PIN);
            if (pin < 0) {
                return new ModelRef(value, null);
            }
            String sha256 = value.substring(pin + PIN.length()).toLowerCase(Locale.ROOT);
            if (!SHA256.matcher(sha256).matches()) {
                throw new TypeConversionException("sha256 must be 64 hexadecimal digits, got '" + sha256 + "'");
            }
            return new ModelRef(value.substring(0, pin), sha256);
        }

        @Override
        public String toString() {
            return sha256 == null ? uri : uri + PIN + sha256;
        }
    }
}
