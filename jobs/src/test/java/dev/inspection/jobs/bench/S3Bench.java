package dev.inspection.jobs.bench;

import dev.inspection.jobs.EmbeddedS3;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * {@code scripts/bench.sh s3}: the same photos through the whole job, same model and cores, output on local disk both
 * times, so that only the input side differs: (a) from local files and (b) from the S3 server in this JVM
 * ({@link EmbeddedS3}) through a {@link LatencyProxy} that adds {@code LATENCY_MS} to every request, as a bucket in a
 * region away from the cluster would. Each after a warm-up run from the same side. Prints both throughputs with the
 * phases, the requests the proxy saw, and, last, {@code ratio=b/a}.
 */
public final class S3Bench {

    private static final String BUCKET = "bench";

    /** Without COPIES: each photo copied so that there are about this many. */
    private static final int DEFAULT_IMAGES = 400;

    public static void main(String[] argv) throws Exception {
        Path model = Path.of(argv[0]);
        Path imageDir = Path.of(argv[1]);
        List<Path> sources = Bench.images(imageDir);
        int copies = argv[2].isEmpty()
                ? (int) Math.ceil(DEFAULT_IMAGES / (double) sources.size())
                : Integer.parseInt(argv[2]);
        long latencyMs = Long.parseLong(argv[3]);
        int cores = Integer.parseInt(argv[4]);

        Bench.Subject subject = Bench.Subject.detector(model);
        System.out.printf(
                "model %s (input %dx%d, batch %d), %d images (%d files x %d from %s), %d cores, %d ms per S3 request%n",
                model.getFileName(),
                subject.inputWidth(),
                subject.inputHeight(),
                subject.batch(Bench.BATCH),
                sources.size() * copies,
                sources.size(),
                copies,
                imageDir.toAbsolutePath().normalize(),
                cores,
                latencyMs);

        Path work = Files.createTempDirectory("inspection-s3-bench");
        Path local = work.resolve("images");
        Bench.copies(sources, copies, local);
        try (EmbeddedS3 s3 = EmbeddedS3.start();
                LatencyProxy proxy = LatencyProxy.start("127.0.0.1", s3.port(), latencyMs)) {
            s3.createBucket(BUCKET);
            for (Path s : sources) {
                s3.put(BUCKET, "warmup/" + s.getFileName(), Files.readAllBytes(s));
            }
            try (var files = Files.list(local)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    s3.put(BUCKET, "images/" + f.getFileName(), Files.readAllBytes(f));
                }
            }
            double ratio;
            SparkSession spark =
                    Bench.localSpark("s3-bench", cores, EmbeddedS3.s3aSettings("http://127.0.0.1:" + proxy.port()));
            try {
                String batch = String.valueOf(Bench.BATCH);
                Bench.job(
                        spark, imageDir.toUri().toString(), model, work.resolve("warmup-local"), "--batch-size", batch);
                Bench.Timed a = Bench.timed(() -> Bench.job(
                        spark, local.toUri().toString(), model, work.resolve("out-local"), "--batch-size", batch));
                System.out.printf("a) whole job, local files to Parquet: %s%n", a.images());
                System.out.println("   " + a.phases());

                String bucket = "s3a://" + BUCKET + "/";
                Bench.job(spark, bucket + "warmup/", model, work.resolve("warmup-s3"), "--batch-size", batch);
                long before = proxy.requests();
                Bench.Timed b = Bench.timed(() ->
                        Bench.job(spark, bucket + "images/", model, work.resolve("out-s3"), "--batch-size", batch));
                System.out.printf(
                        "b) whole job, S3 (+%d ms a request) to local Parquet: %s, %d requests%n",
                        latencyMs, b.images(), proxy.requests() - before);
                System.out.println("   " + b.phases());
                ratio = b.imagesPerSecond() / a.imagesPerSecond();
            } finally {
                spark.stop();
            }
            System.out.printf("ratio=%.3f%n", ratio);
        }
    }
}
