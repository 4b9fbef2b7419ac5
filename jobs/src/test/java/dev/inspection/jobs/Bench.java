package dev.inspection.jobs;

import dev.inspection.detect.DetectionOptions;
import dev.inspection.detect.DetectorSpec;
import dev.inspection.image.ImageDecoder;
import dev.inspection.image.Letterbox;
import dev.inspection.image.RgbImage;
import dev.inspection.jobs.config.InspectArgs;
import dev.inspection.model.FloatTensor;
import dev.inspection.model.LoadedModels;
import dev.inspection.model.ModelPackage;
import dev.inspection.model.OnnxRunner;
import dev.inspection.model.OnnxSignature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.SparkSession;

/**
 * {@code scripts/bench.sh}: on one model, one set of images and one number of cores, (a) the bare inference loop, the
 * preprocessed tensors through the model and nothing else, and (b) the whole job on the same images from the local
 * filesystem. Prints both throughputs and, last, {@code ratio=b/a}.
 */
public final class Bench {

    public static void main(String[] argv) throws Exception {
        Path model = Path.of(argv[0]);
        Path imageDir = Path.of(argv[1]);
        int copies = Integer.parseInt(argv[2]);
        int cores = Integer.parseInt(argv[3]);
        int batch = Integer.parseInt(argv[4]);

        byte[] onnx = Files.readAllBytes(model);
        ModelPackage pkg = ModelPackage.of(model.toString(), onnx, null);
        DetectorSpec spec = DetectorSpec.resolve(pkg, OnnxSignature.read(onnx), DetectionOptions.DEFAULTS);
        List<Path> sources;
        try (var files = Files.list(imageDir)) {
            sources = files.filter(p -> ImageDecoder.isImagePath(p.toString()))
                    .sorted()
                    .toList();
        }
        int total = sources.size() * copies;
        System.out.printf(
                "model %s (%s, input %dx%d, batch %s), %d images (%d files x %d), %d cores%n",
                model.getFileName(),
                spec.layout(),
                spec.inputWidth(),
                spec.inputHeight(),
                spec.fixedBatch() > 0 ? spec.fixedBatch() + " fixed" : batch,
                total,
                sources.size(),
                copies,
                cores);

        // (a) Bare inference: tensors prepared beforehand, `cores` threads sharing one model, one predictor each.
        ImageDecoder decoder = new ImageDecoder(100_000_000);
        int n = spec.fixedBatch() > 0 ? spec.fixedBatch() : batch;
        int perImage = 3 * spec.inputWidth() * spec.inputHeight();
        List<FloatTensor> tensors = new ArrayList<>();
        for (int i = 0; i < sources.size(); i += n) {
            float[] data = new float[n * perImage];
            for (int j = 0; j < n; j++) {
                RgbImage img = decoder.decode(Files.readAllBytes(sources.get((i + j) % sources.size())));
                Letterbox.of(img.width(), img.height(), spec.inputWidth(), spec.inputHeight())
                        .fill(img, data, j * perImage);
            }
            tensors.add(new FloatTensor(new long[] {n, 3, spec.inputHeight(), spec.inputWidth()}, data));
        }
        int callsPerThread = (int) Math.ceil(total / (double) n / cores);
        ExecutorService pool = Executors.newFixedThreadPool(cores);
        bareLoop(pool, pkg, tensors, cores, Math.max(1, callsPerThread / 10)); // warm-up
        long start = System.nanoTime();
        bareLoop(pool, pkg, tensors, cores, callsPerThread);
        double bareSeconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        double bare = callsPerThread * cores * n / bareSeconds;
        System.out.printf(
                "a) bare inference loop: %.1f images/s (%d images in %.2f s)%n",
                bare, callsPerThread * cores * n, bareSeconds);

        // (b) The whole job: listing, reading, decoding, letterboxing, inference, decoding, NMS, Parquet.
        Path work = Files.createTempDirectory("inspection-bench");
        Path input = work.resolve("images");
        Files.createDirectories(input);
        for (int c = 0; c < copies; c++) {
            for (Path s : sources) {
                Files.copy(s, input.resolve("copy" + c + "-" + s.getFileName()));
            }
        }
        SparkSession spark = SparkSession.builder()
                .master("local[" + cores + "]")
                .appName("bench")
                .config("spark.ui.enabled", "false")
                .getOrCreate();
        double whole;
        try {
            job(spark, imageDir, model, work.resolve("warmup"), batch); // warm-up: JIT, first task, first write
            start = System.nanoTime();
            InspectionJob.Result r = job(spark, input, model, work.resolve("out"), batch);
            double jobSeconds = (System.nanoTime() - start) / 1e9;
            whole = r.imagesProcessed() / jobSeconds;
            System.out.printf(
                    "b) whole job, local files to Parquet: %.1f images/s (%d images, %d regions in %.2f s)%n",
                    whole, r.imagesProcessed(), r.regionsWritten(), jobSeconds);
        } finally {
            spark.stop();
        }
        System.out.printf("ratio=%.3f%n", whole / bare);
    }

    /** {@code threads} callers sharing one model, a runner each, {@code calls} inference calls each. */
    static void bareLoop(ExecutorService pool, ModelPackage pkg, List<FloatTensor> tensors, int threads, int calls)
            throws Exception {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t;
            done.add(pool.submit(() -> {
                try (OnnxRunner runner = new OnnxRunner(LoadedModels.get(pkg, 1))) {
                    for (int i = 0; i < calls; i++) {
                        runner.run(tensors.get((offset + i * threads) % tensors.size()));
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
    }

    private static InspectionJob.Result job(SparkSession spark, Path input, Path model, Path out, int batch)
            throws Exception {
        return new InspectionJob(
                        spark,
                        InspectArgs.parse(
                                "--input",
                                input.toUri().toString(),
                                "--detector",
                                model.toUri().toString(),
                                "--output",
                                out.toUri().toString(),
                                "--batch-size",
                                String.valueOf(batch)))
                .execute();
    }
}
