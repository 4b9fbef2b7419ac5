package dev.inspection.jobs.config;

import dev.inspection.detect.DetectionOptions;
import dev.inspection.image.ImageDecoder;
import dev.inspection.model.ModelDescriptor;
import dev.inspection.model.ModelPackage;
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
import picocli.CommandLine.Mixin;
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
 * <p>Each option is declared once, as a field: its name, type, default, description and check (its converter). The
 * options come in groups (picocli mixins, one class each: {@link InputOptions}, {@link ModelOptions}, {@link
 * OutputOptions}, {@link ReportOptions}, {@link DetectorOptions}, {@link ResourceOptions}, {@link SamplingOptions}, {@link TrackingOptions},
 * {@link TilingOptions}, {@link EvaluationOptions}); {@code --config}, {@code --max-failure-rate} and {@code --conf}
 * are declared here. The usage text, the config file's keys and {@link #resolved()} all follow from these
 * declarations.
 */
@Command(
        name = "inspect",
        customSynopsis = {
            "inspect [--config FILE] (--input URI | --manifest URI) ... (--detector URI | --anomaly URI) ...",
            "               --output URI [options]"
        },
        sortOptions = false,
        usageHelpWidth = 120)
public final class InspectArgs implements Serializable, Cloneable {
    private static final long serialVersionUID = 1L;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "HOCON or JSON file (local or any Hadoop filesystem)"
                            + " whose keys are these options' names without dashes, plus conf { KEY = VALUE }; flags given here override it")
    private String config;

    @Mixin
    private InputOptions inputOptions = new InputOptions();

    @Mixin
    private ModelOptions modelOptions = new ModelOptions();

    @Mixin
    private OutputOptions outputOptions = new OutputOptions();

    @Mixin
    private ReportOptions reportOptions = new ReportOptions();

    @Mixin
    private DetectorOptions detectorOptions = new DetectorOptions();

    @Mixin
    private ResourceOptions resources = new ResourceOptions();

    @Mixin
    private SamplingOptions samplingOptions = new SamplingOptions();

    @Mixin
    private TrackingOptions trackingOptions = new TrackingOptions();

    @Mixin
    private TilingOptions tilingOptions = new TilingOptions();

    @Option(
            names = "--max-failure-rate",
            paramLabel = "R",
            defaultValue = "1",
            converter = Converters.Share.class,
            description =
                    "the run fails (exit 4, FAILED in runs) when more than this share of the inputs ends in errors/,"
                            + " in [0, 1] (default ${DEFAULT-VALUE}: never)")
    private double maxFailureRate;

    @Mixin
    private EvaluationOptions evaluationOptions = new EvaluationOptions();

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
        return Collections.unmodifiableList(inputOptions.inputs);
    }

    public List<String> manifests() {
        return Collections.unmodifiableList(inputOptions.manifests);
    }

    public List<ModelRef> detectors() {
        return Collections.unmodifiableList(modelOptions.detectors);
    }

    public List<ModelRef> anomalyModels() {
        return Collections.unmodifiableList(modelOptions.anomalyModels);
    }

    public String output() {
        return outputOptions.output;
    }

    /** What a task may hold and use. */
    public Resources resources() {
        return new Resources(
                resources.batchSize,
                resources.maxImagePixels,
                resources.intraOpThreads,
                samplingOptions.decodeThreads,
                resources.fastDecode,
                resources.readAheadFiles,
                resources.readAheadMb * 1024L * 1024L);
    }

    public LocalDate runDate() {
        return outputOptions.runDate;
    }

    public DetectionOptions detection() {
        return new DetectionOptions(
                detectorOptions.scoreThreshold,
                detectorOptions.iouThreshold,
                detectorOptions.maxDetections,
                detectorOptions.classAgnosticNms);
    }

    /**
     * The sampling option given (parse lets through one at most), else sample-ms's default: every 1000 ms, or every 100
     * ms with {@code --track}.
     */
    public Sampling sampling() {
        if (samplingOptions.keyframesOnly) {
            return Sampling.keyframesOnly();
        }
        if (samplingOptions.everyNFrames != null) {
            return Sampling.everyNFrames(samplingOptions.everyNFrames);
        }
        return Sampling.sampleMs(
                samplingOptions.sampleMs != null
                        ? samplingOptions.sampleMs
                        : trackingOptions.track ? TRACK_SAMPLE_MS : DEFAULT_SAMPLE_MS);
    }

    /** Whether the run tracks objects in videos, with ByteTrack's settings as given (checked by parse). */
    public Tracking tracking() {
        return trackingOptions.track
                ? Tracking.byteTrack(new TrackerSettings(
                        trackingOptions.trackHighThresh,
                        trackingOptions.trackLowThresh,
                        trackingOptions.newTrackThresh,
                        trackingOptions.trackBuffer,
                        trackingOptions.matchThresh,
                        true))
                : Tracking.OFF;
    }

    public long videoSegmentMs() {
        return samplingOptions.videoSegmentS * 1000L;
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
        int size = tilingOptions.tileSize != null
                ? tilingOptions.tileSize
                : declared(detectors, "tile_size", "--tile-size", ModelDescriptor::tileSize, Tiling.OFF.size());
        double overlap = tilingOptions.tileOverlap != null
                ? tilingOptions.tileOverlap
                : declared(
                        detectors,
                        "tile_overlap",
                        "--tile-overlap",
                        ModelDescriptor::tileOverlap,
                        Tiling.OFF.overlap());
        return new Tiling(
                size, overlap, !tilingOptions.noFullFrame, tilingOptions.tileMerge, tilingOptions.tilesPerTask);
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
        return evaluationOptions.labels;
    }

    /** Whether the evaluation calibrates its anomaly models' thresholds ({@code --calibrate} or {@code --calibrate-fpr}). */
    public boolean calibrate() {
        return evaluationOptions.calibrate || evaluationOptions.calibrateFpr != null;
    }

    /** The false-positive rate to calibrate at, or null for the F1-best thresholds. */
    public Double calibrateFpr() {
        return evaluationOptions.calibrateFpr;
    }

    /**
     * These settings as an evaluation runs them: detections down to {@code scoreThreshold} where no
     * {@code --score-threshold} was given (mAP needs the whole precision-recall curve). A copy: these are unchanged.
     */
    public InspectArgs forEvaluation(double scoreThreshold) {
        if (detectorOptions.scoreThreshold != null) {
            return this;
        }
        try {
            InspectArgs evaluated = (InspectArgs) clone(); // the groups shared: nothing changes them after parsing
            evaluated.detectorOptions = detectorOptions.withScoreThreshold(scoreThreshold);
            evaluated.evaluationThreshold = true;
            return evaluated;
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    /** Where the inputs are: folders, prefixes or files, and manifests. */
    public record Sources(List<String> inputs, List<String> manifests) {
        public Sources {
            inputs = List.copyOf(inputs);
            manifests = List.copyOf(manifests);
        }

        public boolean isEmpty() {
            return inputs.isEmpty() && manifests.isEmpty();
        }

        @Override
        public String toString() {
            return inputs + " " + manifests;
        }
    }

    /** The inputs and manifests given. */
    public Sources sources() {
        return new Sources(inputOptions.inputs, inputOptions.manifests);
    }

    /** The score threshold the configuration gives, or null where each detector's own applies. */
    public Double scoreThreshold() {
        return evaluationThreshold ? null : detectorOptions.scoreThreshold;
    }

    public double maxFailureRate() {
        return maxFailureRate;
    }

    public boolean incremental() {
        return outputOptions.incremental;
    }

    /** The run's report and annotated copies. */
    public ReportSettings report() {
        return new ReportSettings(
                outputOptions.report, outputOptions.annotate, reportOptions.groupBy, reportOptions.examples);
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
        return hadoopConfiguration(conf());
    }

    /** The Hadoop settings among {@code conf}, over the JVM's {@code spark.hadoop.*} properties (spark-submit's). */
    static Configuration hadoopConfiguration(Map<String, String> conf) {
        Configuration hadoop = new Configuration();
        String prefix = "spark.hadoop.";
        System.getProperties().stringPropertyNames().stream()
                .filter(k -> k.startsWith(prefix))
                .forEach(k -> hadoop.set(k.substring(prefix.length()), System.getProperty(k)));
        conf.forEach((k, v) -> {
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
        if (inputOptions.inputs.isEmpty() && inputOptions.manifests.isEmpty() && evaluationOptions.labels == null) {
            throw new UsageException(
                    "--input or --manifest is required: the folder or prefix holding the images and videos");
        }
        if (modelOptions.detectors.isEmpty() && modelOptions.anomalyModels.isEmpty()) {
            throw new UsageException(
                    "a model is required: --detector or --anomaly, each an ONNX file or a model package folder");
        }
        if (outputOptions.output == null) {
            throw new UsageException("--output is required: the root folder of the result tables");
        }

        if (trackingOptions.track && modelOptions.detectors.isEmpty()) {
            throw new UsageException("--track follows what detectors find: it needs a --detector");
        }
        if (trackingOptions.track && trackingOptions.trackLowThresh > trackingOptions.trackHighThresh) {
            throw new UsageException("--track-low-thresh (" + trackingOptions.trackLowThresh + ") must not be above"
                    + " --track-high-thresh (" + trackingOptions.trackHighThresh + ")");
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
