package dev.inspection.jobs.bench;

import dev.inspection.image.RgbImage;
import dev.inspection.jobs.DemoData;
import dev.inspection.jobs.InspectionJob;
import dev.inspection.model.FloatTensor;
import dev.inspection.video.Sampling;
import dev.inspection.video.TestVideos;
import dev.inspection.video.VideoPlan;
import dev.inspection.video.VideoReader;
import dev.inspection.video.VideoSegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.SparkSession;

/**
 * {@code scripts/bench.sh video}: on one video file, one model and one number of cores, (a) the bare inference loop on
 * the tensors of the frames the job samples (letterboxed as the job does it, through {@link Bench#bareLoop}), and
 * (b) the whole job on the same file, both in sampled frames per second; beside them decoding alone (the file's
 * segments decoded on that many threads, the sampled frames converted to RGB), in video frames per second, and the
 * job's phases. Optionally the video is first made {@code MINUTES} long by repeating it (as {@code ffmpeg -f concat -c
 * copy} does, no re-encoding). The last line is {@code ratio=b/a}.
 */
public final class VideoBench {

    /** Sampled frames kept as tensors for the bare loop, which goes round them for as many frames as the job has. */
    private static final int DISTINCT_FRAMES = 16;

    public static void main(String[] argv) throws Exception {
        Path video = argv[0].isEmpty() ? defaultVideo() : Path.of(argv[0]);
        Path model = Path.of(argv[1]);
        int cores = Integer.parseInt(argv[2]);
        long sampleMs = Long.parseLong(argv[3]);
        long segmentS = Long.parseLong(argv[4]);
        double minutes = argv.length > 5 && !argv[5].isEmpty() ? Double.parseDouble(argv[5]) : 0;
        if (minutes > 0) {
            video = repeated(video, minutes);
        }

        VideoPlan plan;
        try (VideoReader reader = open(video)) {
            plan = reader.plan(segmentS * 1000);
        }
        Bench.Subject subject = Bench.Subject.detector(model);
        int batch = subject.batch(Bench.BATCH);
        System.out.printf(
                "video %s (%s %dx%d, %.1f s, %d frames), %d segments of about %d s, %d cores, sample-ms=%d;"
                        + " model %s (input %dx%d, batch %d)%n",
                video.getFileName(),
                plan.info().codec(),
                plan.info().width(),
                plan.info().height(),
                plan.info().durationMs() / 1000.0,
                plan.info().declaredFrames(),
                plan.segments().size(),
                segmentS,
                cores,
                sampleMs,
                model.getFileName(),
                subject.inputWidth(),
                subject.inputHeight(),
                batch);

        // Decoding alone: every segment decoded, the sampled frames converted to RGB, nothing else.
        decodeAll(video, plan, cores, sampleMs); // warm-up
        long start = System.nanoTime();
        long[] counts = decodeAll(video, plan, cores, sampleMs);
        long sampled = counts[0];
        double decodeSeconds = (System.nanoTime() - start) / 1e9;
        long frames = plan.info().declaredFrames();
        System.out.printf(
                "decode only: %.1f video frames/s, %.1f sampled frames/s (%d frames, %d of them decoded, %d sampled, in"
                        + " %.2f s)%n",
                frames / decodeSeconds, sampled / decodeSeconds, frames, counts[1], sampled, decodeSeconds);

        // (a) Bare inference on the sampled frames' tensors, as many frames as the job inspects.
        ExecutorService pool = Executors.newFixedThreadPool(cores);
        List<FloatTensor> tensors = subject.tensors(firstSampled(video, plan, sampleMs), batch);
        Bench.Bare bare = Bench.bare(pool, subject.pkg(), tensors, cores, sampled, batch);
        pool.shutdown();
        tensors = null;
        System.out.printf(
                "a) bare inference loop on the sampled frames' tensors: %.1f sampled frames/s"
                        + " (%d frames in %.2f s, round %d distinct)%n",
                bare.perSecond(), bare.images(), bare.seconds(), Math.min(DISTINCT_FRAMES, sampled));

        // (b) The whole job on the same file: planning, decoding, inference, Parquet.
        Path work = Files.createTempDirectory("inspection-video-bench");
        SparkSession spark = Bench.localSpark("video-bench", cores, Map.of());
        double whole;
        try {
            job(spark, video, model, work.resolve("warmup"), sampleMs, segmentS);
            Path in = video;
            Bench.Timed b = Bench.timed(() -> job(spark, in, model, work.resolve("out"), sampleMs, segmentS));
            whole = b.result().framesProcessed() / b.seconds();
            System.out.printf(
                    "b) whole job, local file to Parquet: %.1f sampled frames/s, %.1f video frames/s"
                            + " (%d sampled, %d regions in %.2f s)%n",
                    whole,
                    frames / b.seconds(),
                    b.result().framesProcessed(),
                    b.result().regionsWritten(),
                    b.seconds());
            System.out.println("   " + b.phases());
            // The same run with --track: what ByteTrack and the tracks table add.
            Bench.Timed t =
                    Bench.timed(() -> job(spark, in, model, work.resolve("tracked"), sampleMs, segmentS, "--track"));
            System.out.printf(
                    "   with --track: %.1f sampled frames/s (%d sampled, in %.2f s, inference phase %.2f s against"
                            + " %.2f s)%n",
                    t.result().framesProcessed() / t.seconds(),
                    t.result().framesProcessed(),
                    t.seconds(),
                    t.result().inferenceSeconds(),
                    b.result().inferenceSeconds());
        } finally {
            spark.stop();
        }
        System.out.printf(
                "ratio=%.3f efficiency=%.3f%n",
                whole / bare.perSecond(), whole / Bench.ceiling(sampled / decodeSeconds, bare.perSecond()));
    }

    /** The first {@link #DISTINCT_FRAMES} frames the job samples, from the first segments on. */
    private static List<RgbImage> firstSampled(Path video, VideoPlan plan, long sampleMs) throws Exception {
        List<RgbImage> images = new ArrayList<>();
        for (VideoSegment segment : plan.segments()) {
            try (VideoReader reader = open(video)) { // a reader decodes one segment
                var frames = reader.frames(segment, Sampling.sampleMs(sampleMs));
                while (frames.hasNext() && images.size() < DISTINCT_FRAMES) {
                    images.add(frames.next().image());
                }
            }
            if (images.size() == DISTINCT_FRAMES) {
                break;
            }
        }
        return images;
    }

    /**
     * The video repeated to at least {@code minutes} long without re-encoding ({@link TestVideos#repeat}), made once in
     * the temporary folder.
     */
    private static Path repeated(Path video, double minutes) throws Exception {
        long durationMs;
        try (VideoReader reader = open(video)) {
            durationMs = reader.info().durationMs();
        }
        int times = (int) Math.ceil(minutes * 60_000 / durationMs);
        String name = video.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        Path file = Path.of(System.getProperty("java.io.tmpdir"), name + "-x" + times + ".mp4");
        if (Files.exists(file)) {
            return file;
        }
        System.out.printf("Repeating %s %d times (once) into %s...%n", video.getFileName(), times, file);
        Path partial = Path.of(file + ".partial.mp4");
        TestVideos.repeat(video, times, partial);
        Files.move(partial, file);
        return file;
    }

    /** Every segment decoded as the job samples it: the frames sampled, and those decoded (sampled or not). */
    private static long[] decodeAll(Path video, VideoPlan plan, int cores, long sampleMs) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(cores);
        List<Future<long[]>> done = new ArrayList<>();
        for (VideoSegment segment : plan.segments()) {
            done.add(pool.submit(() -> {
                long n = 0;
                try (VideoReader reader = open(video)) {
                    var frames = reader.frames(segment, Sampling.sampleMs(sampleMs));
                    while (frames.hasNext()) {
                        frames.next();
                        n++;
                    }
                    return new long[] {n, frames.framesDecoded()};
                }
            }));
        }
        long[] counts = new long[2];
        for (Future<long[]> f : done) {
            long[] segment = f.get();
            counts[0] += segment[0];
            counts[1] += segment[1];
        }
        pool.shutdown();
        return counts;
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
            SparkSession spark, Path video, Path model, Path out, long sampleMs, long segmentS, String... more)
            throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "--sample-ms",
                String.valueOf(sampleMs),
                "--video-segment-s",
                String.valueOf(segmentS),
                "--batch-size",
                String.valueOf(Bench.BATCH)));
        args.addAll(List.of(more));
        return Bench.job(spark, video.toUri().toString(), model, out, args.toArray(String[]::new));
    }
}
