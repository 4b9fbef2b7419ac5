package dev.inspection.jobs.bench;

import dev.inspection.anomaly.AnomalySpec;
import dev.inspection.detect.DetectionOptions;
import dev.inspection.detect.Detector;
import dev.inspection.detect.DetectorSpec;
import dev.inspection.image.ImageDecoder;
import dev.inspection.image.Letterbox;
import dev.inspection.image.RgbImage;
import dev.inspection.jobs.InspectionJob;
import dev.inspection.jobs.config.InspectArgs;
import dev.inspection.model.FloatTensor;
import dev.inspection.model.LoadedModels;
import dev.inspection.model.ModelPackage;
import dev.inspection.model.OnnxRunner;
import dev.inspection.model.OnnxSignature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.SparkSession;

/**
 * {@code scripts/bench.sh}: on one model, one set of images and one number of cores, (a) the bare inference loop, the
 * preprocessed tensors through the model and nothing else, and (b) the whole job on the same images from the local
 * filesystem, with the seconds of each of its phases and those outside inference. Prints both throughputs and, last,
 * {@code ratio=b/a}. Also the helpers the other benchmarks share.
 */
public final class Bench {

    /** The job's default {@code --batch-size}, which the benchmarks pass explicitly. */
    static final int BATCH = 8;

    /** The fewest images the bare loop runs: a handful of calls is mostly noise. */
    private static final int MIN_BARE_IMAGES = 64;

    public static void main(String[] argv) throws Exception {
        Path model = Path.of(argv[1]);
        Subject subject = argv[0].equals("anomaly") ? Subject.anomaly(model) : Subject.detector(model);
        Path imageDir = Path.of(argv[2]);
        int copies = Integer.parseInt(argv[3]);
        int cores = Integer.parseInt(argv[4]);
        int batch = subject.batch(Integer.parseInt(argv[5]));

        List<Path> sources = images(imageDir);
        int total = sources.size() * copies;
        System.out.printf(
                "%s %s (%s, input %dx%d, batch %d%s), %d images (%d files x %d), %d cores%n",
                subject.kind(),
                model.getFileName(),
                subject.layout(),
                subject.inputWidth(),
                subject.inputHeight(),
                batch,
                subject.fixedBatch() > 0 ? " fixed" : "",
                total,
                sources.size(),
                copies,
                cores);

        // (a) Bare inference: tensors prepared beforehand, `cores` threads sharing one model, one predictor each;
        // beside it the bare decoding: decoding and preparing alone.
        ExecutorService pool = Executors.newFixedThreadPool(cores);
        Bare bare = bare(pool, subject.pkg(), subject.tensors(decodeAll(sources), batch), cores, total, batch);
        System.out.printf("a) bare inference loop: %s%n", bare);
        if (subject.kind().equals("detector")) {
            System.out.println("   " + decodeShare(subject.pkg(), decodeAll(sources), batch));
        }
        Bare decoding = prepareLoop(pool, sources, subject, cores, total);
        pool.shutdown();
        double ceiling = ceiling(decoding.perSecond(), bare.perSecond());
        System.out.printf(
                "   decoding and preparing alone: %s; both one after the other on the same cores: at most %.1f"
                        + " images/s (ceiling)%n",
                decoding, ceiling);

        // (b) The whole job: listing, reading, decoding, preparing, inference, the model's output, Parquet.
        Path work = Files.createTempDirectory("inspection-bench");
        Path input = work.resolve("images");
        copies(sources, copies, input);
        SparkSession spark = localSpark("bench", cores, Map.of());
        Timed b;
        try {
            // warm-up: JIT, first task, first write
            job(
                    spark,
                    imageDir.toUri().toString(),
                    subject.flag(),
                    model,
                    work.resolve("warmup"),
                    "--batch-size",
                    "" + batch);
            b = timed(() -> job(
                    spark,
                    input.toUri().toString(),
                    subject.flag(),
                    model,
                    work.resolve("out"),
                    "--batch-size",
                    "" + batch));
            System.out.printf("b) whole job, local files to Parquet: %s%n", b.images());
            System.out.println("   " + b.phases());
            if (System.getenv("REPORT_CONF") != null) {
                for (String kv : System.getenv("REPORT_CONF").split(",")) {
                    spark.conf().set(kv.split("=")[0], kv.split("=")[1]);
                }
            }
            System.out.println("c) " + report(spark, work.resolve("out"), b.seconds()));
            System.out.println("c') again: " + report(spark, work.resolve("out"), b.seconds()));
        } finally {
            spark.stop();
        }
        System.out.printf(
                "ratio=%.3f efficiency=%.3f%n", b.imagesPerSecond() / bare.perSecond(), b.imagesPerSecond() / ceiling);
    }

    /**
     * The detector's decode (its format's decode, NMS, boxes mapped back) against its model, per picture on one thread:
     * the same batch inferred and decoded again and again.
     */
    static String decodeShare(ModelPackage pkg, List<RgbImage> images, int batch) throws Exception {
        DetectorSpec spec = spec(pkg);
        try (Detector detector = new Detector(spec, LoadedModels.get(pkg, 1))) {
            int n = spec.fixedBatch() > 0 ? spec.fixedBatch() : spec.input().fit() == Letterbox.Fit.NONE ? 1 : batch;
            List<Detector.Prepared> prepared = images.subList(0, Math.min(n, images.size())).stream()
                    .map(detector::prepare)
                    .toList();
            List<FloatTensor> out = detector.infer(prepared);
            long start = System.nanoTime();
            int runs = 0;
            while (System.nanoTime() - start < 3e9 || runs < 3) {
                out = detector.infer(prepared);
                runs++;
            }
            double modelMs = (System.nanoTime() - start) / 1e6 / runs / prepared.size();
            int decodes = 0;
            start = System.nanoTime();
            while (System.nanoTime() - start < 2e9 || decodes < 10) {
                detector.decode(out, prepared);
                decodes++;
            }
            double decodeMs = (System.nanoTime() - start) / 1e6 / decodes / prepared.size();
            return String.format(
                    "decode: %.3f ms per image against the model's %.1f ms on one thread (%.2f%%)",
                    decodeMs, modelMs, 100 * decodeMs / modelMs);
        }
    }

    /**
     * The most a job can do on the same cores when each picture is decoded and then inferred, one after the other:
     * {@code 1 / (1/decode + 1/model)}, both in pictures per second on all the cores.
     */
    static double ceiling(double decodePerSecond, double modelPerSecond) {
        return 1 / (1 / decodePerSecond + 1 / modelPerSecond);
    }

    /**
     * The model a benchmark runs and what a task makes of a picture for it: a detector's letterbox, or an anomaly
     * model's resize (and normalization).
     */
    record Subject(
            String kind,
            String flag,
            ModelPackage pkg,
            String layout,
            int inputWidth,
            int inputHeight,
            int fixedBatch,
            Fill fill) {

        interface Fill {
            void into(RgbImage image, float[] planes, int offset);
        }

        static Subject detector(Path model) throws Exception {
            ModelPackage pkg = Bench.pkg(model);
            DetectorSpec spec = spec(pkg);
            int w = spec.inputWidth();
            int h = spec.inputHeight();
            if (w == 0 || spec.input().nhwc() || spec.input().uint8()) {
                throw new IllegalArgumentException("the benchmark's bare loop needs a detector with a fixed float NCHW"
                        + " input, not " + spec.format() + "'s " + spec.input());
            }
            return new Subject(
                    "detector",
                    "--detector",
                    pkg,
                    spec.format().toString(),
                    w,
                    h,
                    spec.fixedBatch(),
                    (image, planes, offset) -> spec.input().fill(image, w, h, planes, offset));
        }

        static Subject anomaly(Path model) throws Exception {
            ModelPackage pkg = Bench.pkg(model);
            AnomalySpec spec = AnomalySpec.resolve(pkg, OnnxSignature.read(pkg.onnx()));
            int w = spec.inputWidth();
            int h = spec.inputHeight();
            if (w == 0) {
                throw new IllegalArgumentException("the benchmark needs an anomaly model with a fixed input size");
            }
            return new Subject(
                    "anomaly model",
                    "--anomaly",
                    pkg,
                    spec.layout().toString(),
                    w,
                    h,
                    spec.fixedBatch(),
                    (image, planes, offset) -> spec.fillInput(image, w, h, planes, offset));
        }

        /** Images per inference call: the model's fixed batch, else {@code wanted}. */
        int batch(int wanted) {
            return fixedBatch > 0 ? fixedBatch : wanted;
        }

        int planeFloats() {
            return 3 * inputWidth * inputHeight;
        }

        /**
         * The images prepared as the job does it, into [n, 3, H, W] tensors of {@code n} images: ceil(images / n) of
         * them, the last filled up from the first images.
         */
        List<FloatTensor> tensors(List<RgbImage> images, int n) {
            List<FloatTensor> tensors = new ArrayList<>();
            for (int i = 0; i < images.size(); i += n) {
                float[] data = new float[n * planeFloats()];
                for (int j = 0; j < n; j++) {
                    fill.into(images.get((i + j) % images.size()), data, j * planeFloats());
                }
                tensors.add(new FloatTensor(new long[] {n, 3, inputHeight, inputWidth}, data));
            }
            return tensors;
        }
    }

    /** {@code threads} callers sharing one model, a runner each, {@code calls} inference calls each. */
    static void bareLoop(ExecutorService pool, ModelPackage pkg, List<FloatTensor> tensors, int threads, int calls)
            throws Exception {
        int sizesInput = sizesInput(pkg);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t;
            done.add(pool.submit(() -> {
                try (OnnxRunner runner = new OnnxRunner(LoadedModels.get(pkg, 1))) {
                    for (int i = 0; i < calls; i++) {
                        runner.run(feed(tensors.get((offset + i * threads) % tensors.size()), sizesInput));
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
    }

    /** The input that takes each picture's (width, height), as the DETR family's {@code orig_target_sizes}; or -1. */
    static int sizesInput(ModelPackage pkg) throws Exception {
        List<OnnxSignature.Tensor> inputs = OnnxSignature.read(pkg.onnx()).inputs();
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i).rank() == 2) {
                return i;
            }
        }
        return -1;
    }

    /** The batch, and where the model takes them, the pictures' sizes (here the input's own). */
    static List<OnnxRunner.Input> feed(FloatTensor batch, int sizesInput) {
        List<OnnxRunner.Input> feed = new ArrayList<>();
        feed.add(new OnnxRunner.Input(batch.shape(), java.nio.FloatBuffer.wrap(batch.data())));
        if (sizesInput >= 0) {
            long[] sizes = new long[2 * batch.dim(0)];
            for (int i = 0; i < batch.dim(0); i++) {
                sizes[2 * i] = batch.dim(3);
                sizes[2 * i + 1] = batch.dim(2);
            }
            feed.add(sizesInput, new OnnxRunner.Input(new long[] {batch.dim(0), 2}, java.nio.LongBuffer.wrap(sizes)));
        }
        return feed;
    }

    /** Decoding and preparing alone, as a task does before inference: {@code images} in all on {@code cores}. */
    static Bare prepareLoop(ExecutorService pool, List<Path> sources, Subject subject, int cores, long images)
            throws Exception {
        List<byte[]> files = new ArrayList<>();
        for (Path p : sources) {
            files.add(Files.readAllBytes(p));
        }
        long perThread = Math.max(1, images / cores);
        long start = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < cores; t++) {
            done.add(pool.submit(() -> {
                ImageDecoder decoder = new ImageDecoder(100_000_000);
                float[] planes = new float[subject.planeFloats()];
                for (long i = 0; i < perThread; i++) {
                    subject.fill().into(decoder.decode(files.get((int) (i % files.size()))), planes, 0);
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        return new Bare(perThread * cores, (System.nanoTime() - start) / 1e9);
    }

    /** What the bare loop did: images (or frames) through the model, in seconds. */
    record Bare(long images, double seconds) {
        double perSecond() {
            return images / seconds;
        }

        @Override
        public String toString() {
            return String.format("%.1f images/s (%d images in %.2f s)", perSecond(), images, seconds);
        }
    }

    /**
     * {@link #bareLoop} after a warm-up, in batches of {@code n} on {@code cores} threads, over at least {@code images}
     * images and at least {@link #MIN_BARE_IMAGES}; the tensors are used round-robin.
     */
    static Bare bare(ExecutorService pool, ModelPackage pkg, List<FloatTensor> tensors, int cores, long images, int n)
            throws Exception {
        int callsPerThread = (int) Math.ceil(Math.max(images, MIN_BARE_IMAGES) / (double) n / cores);
        bareLoop(pool, pkg, tensors, cores, Math.max(2, callsPerThread / 10)); // warm-up
        long start = System.nanoTime();
        bareLoop(pool, pkg, tensors, cores, callsPerThread);
        return new Bare((long) callsPerThread * cores * n, (System.nanoTime() - start) / 1e9);
    }

    static ModelPackage pkg(Path model) throws IOException {
        return ModelPackage.of(model.toString(), Files.readAllBytes(model), null);
    }

    static DetectorSpec spec(ModelPackage pkg) throws Exception {
        return DetectorSpec.resolve(pkg, OnnxSignature.read(pkg.onnx()), DetectionOptions.DEFAULTS);
    }

    /** The image files directly in a folder, sorted. */
    static List<Path> images(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(p -> ImageDecoder.isImagePath(p.toString()))
                    .sorted()
                    .toList();
        }
    }

    static List<RgbImage> decodeAll(List<Path> files) throws Exception {
        ImageDecoder decoder = new ImageDecoder(100_000_000);
        List<RgbImage> images = new ArrayList<>();
        for (Path p : files) {
            images.add(decoder.decode(Files.readAllBytes(p)));
        }
        return images;
    }

    /** Each source copied {@code copies} times into {@code dir}, as {@code copyC-NAME}. */
    static void copies(List<Path> sources, int copies, Path dir) throws IOException {
        Files.createDirectories(dir);
        for (int c = 0; c < copies; c++) {
            for (Path s : sources) {
                Files.copy(s, dir.resolve("copy" + c + "-" + s.getFileName()));
            }
        }
    }

    /** Spark in local mode on {@code cores} cores, UI off, with these Hadoop settings. */
    static SparkSession localSpark(String appName, int cores, Map<String, String> hadoop) {
        SparkSession.Builder builder = SparkSession.builder()
                .master("local[" + cores + "]")
                .appName(appName)
                .config("spark.ui.enabled", "false");
        hadoop.forEach((k, v) -> builder.config("spark.hadoop." + k, v));
        return builder.getOrCreate();
    }

    /** The whole job on {@code input} (a URI) with the detector, writing under {@code out}, with more arguments. */
    static InspectionJob.Result job(SparkSession spark, String input, Path model, Path out, String... extra)
            throws Exception {
        return job(spark, input, "--detector", model, out, extra);
    }

    /** The whole job with the model given as {@code flag} ({@code --detector} or {@code --anomaly}). */
    static InspectionJob.Result job(
            SparkSession spark, String input, String flag, Path model, Path out, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "--input",
                input,
                flag,
                model.toUri().toString(),
                "--output",
                out.toUri().toString()));
        args.addAll(List.of(extra));
        return new InspectionJob(spark, InspectArgs.parse(args.toArray(String[]::new))).execute();
    }

    interface Run {
        InspectionJob.Result run() throws Exception;
    }

    /** A run of the job and its wall-clock seconds, as the caller saw them. */
    record Timed(InspectionJob.Result result, double seconds) {
        double imagesPerSecond() {
            return result.imagesProcessed() / seconds;
        }

        /** Throughput in images, with the images and regions. */
        String images() {
            return String.format(
                    "%.1f images/s (%d images, %d regions in %.2f s)",
                    imagesPerSecond(), result.imagesProcessed(), result.regionsWritten(), seconds);
        }

        /** Each phase's seconds, and the seconds outside inference. */
        String phases() {
            StringJoiner phases = new StringJoiner(", ", "phases: ", "");
            result.phaseSeconds().forEach((phase, s) -> phases.add(String.format("%s %.2f s", phase, s)));
            return phases + String.format("; outside inference %.2f s", result.secondsOutsideInference());
        }
    }

    /**
     * The report of the night just run, made from its tables as {@code --report} makes it, timed on its own: its
     * seconds against the run's, and the size of its folder.
     */
    static String report(SparkSession spark, Path out, double runSeconds) throws Exception {
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        long start = System.nanoTime();
        dev.inspection.jobs.report.Report.make(
                spark,
                out.toUri().toString(),
                today,
                new dev.inspection.jobs.config.ReportSettings(
                        true, false, dev.inspection.jobs.config.ReportSettings.Grouping.NONE, 12),
                new dev.inspection.jobs.run.RunFiles(
                        java.util.UUID.randomUUID().toString(),
                        spark.sparkContext().hadoopConfiguration()));
        double seconds = (System.nanoTime() - start) / 1e9;
        long bytes = 0;
        long files = 0;
        try (var walk = Files.walk(out.resolve("reports"))) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                bytes += Files.size(f);
                files++;
            }
        }
        return String.format(
                "report of the night: %.2f s, %.1f%% of the whole job's %.1f s; %d files, %.0f KB",
                seconds, 100 * seconds / runSeconds, runSeconds, files, bytes / 1024.0);
    }

    static Timed timed(Run run) throws Exception {
        long start = System.nanoTime();
        InspectionJob.Result r = run.run();
        return new Timed(r, (System.nanoTime() - start) / 1e9);
    }
}
