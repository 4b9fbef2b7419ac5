package dev.inspection.jobs;

import dev.inspection.image.RgbImage;
import dev.inspection.jobs.config.InspectArgs;
import dev.inspection.video.Sampling;
import dev.inspection.video.TestVideos;
import dev.inspection.video.VideoPlan;
import dev.inspection.video.VideoReader;
import dev.inspection.video.VideoSegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.SparkSession;

/**
 * {@code scripts/bench.sh video}: on one video file, one model and one number of cores, (a) decoding only, the file's
 * segments decoded on that many threads, and (b) the whole job on the same file. Prints video frames decoded per
 * second for both, the sampled frames inspected per second, and, last, {@code ratio=b/a}.
 */
public final class VideoBench {

    public static void main(String[] argv) throws Exception {
        Path video = argv[0].isEmpty() ? defaultVideo() : Path.of(argv[0]);
        Path model = Path.of(argv[1]);
        int cores = Integer.parseInt(argv[2]);
        long sampleMs = Long.parseLong(argv[3]);
        long segmentS = Long.parseLong(argv[4]);

        VideoPlan plan;
        try (VideoReader reader = open(video)) {
            plan = reader.plan(segmentS * 1000);
        }
        System.out.printf(
                "video %s (%s %dx%d, %.1f s, %d frames), %d segments of about %d s, %d cores, sample-ms=%d%n",
                video.getFileName(),
                plan.info().codec(),
                plan.info().width(),
                plan.info().height(),
                plan.info().durationMs() / 1000.0,
                plan.info().declaredFrames(),
                plan.segments().size(),
                segmentS,
                cores,
                sampleMs);

        // (a) Decoding only: every segment decoded, the sampled frames converted to RGB, nothing else.
        decodeAll(video, plan, cores, sampleMs); // warm-up
        long start = System.nanoTime();
        long sampled = decodeAll(video, plan, cores, sampleMs);
        double decodeSeconds = (System.nanoTime() - start) / 1e9;
        long frames = plan.info().declaredFrames();
        double decoded = frames / decodeSeconds;
        System.out.printf(
                "a) decode only: %.1f video frames/s (%d frames, %d sampled, in %.2f s)%n",
                decoded, frames, sampled, decodeSeconds);

        // (b) The whole job on the same file: planning, decoding, inference, Parquet.
        Path work = Files.createTempDirectory("inspection-video-bench");
        SparkSession spark = SparkSession.builder()
                .master("local[" + cores + "]")
                .appName("video-bench")
                .config("spark.ui.enabled", "false")
                .getOrCreate();
        double whole;
        try {
            job(spark, video, model, work.resolve("warmup"), sampleMs, segmentS);
            start = System.nanoTime();
            InspectionJob.Result r = job(spark, video, model, work.resolve("out"), sampleMs, segmentS);
            double jobSeconds = (System.nanoTime() - start) / 1e9;
            whole = frames / jobSeconds;
            System.out.printf(
                    "b) whole job, local file to Parquet: %.1f video frames/s, %.1f sampled frames inspected/s"
                            + " (%d sampled, %d regions in %.2f s)%n",
                    whole, r.framesProcessed() / jobSeconds, r.framesProcessed(), r.regionsWritten(), jobSeconds);
        } finally {
            spark.stop();
        }
        System.out.printf("ratio=%.3f%n", whole / decoded);
    }

    private static long decodeAll(Path video, VideoPlan plan, int cores, long sampleMs) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(cores);
        List<Future<Long>> done = new ArrayList<>();
        for (VideoSegment segment : plan.segments()) {
            done.add(pool.submit(() -> {
                long n = 0;
                try (VideoReader reader = open(video)) {
                    var frames = reader.frames(segment, Sampling.sampleMs(sampleMs));
                    while (frames.hasNext()) {
                        frames.next();
                        n++;
                    }
                }
                return n;
            }));
        }
        long sampled = 0;
        for (Future<Long> f : done) {
            sampled += f.get();
        }
        pool.shutdown();
        return sampled;
    }

    private static VideoReader open(Path video) throws Exception {
        return VideoReader.open(video.toString(), Files.newByteChannel(video), 100_000_000, 1);
    }

    /**
     * Without a file given: one minute of 1280x720 H.264 at 30 fps, a keyframe every 2 s, showing the demo boards,
     * made once and kept in the temporary folder.
     */
    private static Path defaultVideo() throws Exception {
        Path file = Path.of(System.getProperty("java.io.tmpdir"), "inspection-bench-720p.mp4");
        if (Files.exists(file)) {
            return file;
        }
        System.out.println("Recording the benchmark video (once): 60 s of 1280x720 H.264 at 30 fps...");
        List<RgbImage> boards = new ArrayList<>();
        for (Path p : DemoData.images()) {
            boards.add(onCanvas(
                    new dev.inspection.image.ImageDecoder(100_000_000).decode(Files.readAllBytes(p)), 1280, 720));
            if (boards.size() == 20) {
                break;
            }
        }
        Path partial = Path.of(file + ".partial.mp4");
        TestVideos.write(
                partial,
                TestVideos.Encoding.H264.withGop(60),
                1280,
                720,
                TestVideos.constantRate(1800, 30),
                i -> boards.get(i / 90 % boards.size()));
        Files.move(partial, file);
        return file;
    }

    /** The image tiled over a canvas of the given size. */
    private static RgbImage onCanvas(RgbImage image, int width, int height) {
        byte[] rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int s = ((y % image.height()) * image.width() + x % image.width()) * 3;
                System.arraycopy(image.rgb(), s, rgb, (y * width + x) * 3, 3);
            }
        }
        return new RgbImage(width, height, rgb);
    }

    private static InspectionJob.Result job(
            SparkSession spark, Path video, Path model, Path out, long sampleMs, long segmentS) throws Exception {
        return new InspectionJob(
                        spark,
                        InspectArgs.parse(
                                "--input",
                                video.toUri().toString(),
                                "--detector",
                                model.toUri().toString(),
                                "--output",
                                out.toUri().toString(),
                                "--sample-ms",
                                String.valueOf(sampleMs),
                                "--video-segment-s",
                                String.valueOf(segmentS)))
                .execute();
    }
}
