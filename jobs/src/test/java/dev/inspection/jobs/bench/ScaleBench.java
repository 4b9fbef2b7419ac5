package dev.inspection.jobs.bench;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.apache.spark.sql.SparkSession;

/**
 * {@code scripts/bench.sh scale [N]}: many small inputs through the whole job, local files, the demo detector, all
 * cores: what the job costs per input when the model's share is small. {@code N} generated 96x96 JPEGs (kept in the
 * temporary folder), after a warm-up: a run on a handful of them (the run's fixed cost), on N/10 and on all N. For each: images/s, the phases, and the driver JVM's peak heap (local mode:
 * the tasks' too). The last line is {@code growth=} the time for N over the time for N/10, each less the fixed cost;
 * the goal is at most 10.5.
 */
public final class ScaleBench {

    private static final int SIDE = 96;

    /** Distinct pictures; the inputs are copies of them under their own names. */
    private static final int DISTINCT = 64;

    private static final int FIXED_COST_IMAGES = 8;

    public static void main(String[] argv) throws Exception {
        Path model = Path.of(argv[0]);
        int n = Integer.parseInt(argv[1]);
        int cores = Integer.parseInt(argv[2]);
        if (n < 10 * FIXED_COST_IMAGES) {
            throw new IllegalArgumentException("N must be at least " + 10 * FIXED_COST_IMAGES + ", got " + n);
        }
        Path inputs = generated(n, cores);
        Path work = Files.createTempDirectory("inspection-scale-bench");
        Path few = work.resolve("few");
        Files.createDirectories(few);
        try (var files = Files.list(inputs.resolve("tenth"))) {
            for (Path f : files.sorted().limit(FIXED_COST_IMAGES).toList()) {
                Files.copy(f, few.resolve(f.getFileName()));
            }
        }
        System.out.printf(
                "model %s, %d images of %dx%d (%.1f KB each on average) in %s, %d cores, heap max %d MB%n",
                model.getFileName(),
                n,
                SIDE,
                SIDE,
                folderBytes(inputs.resolve("tenth")) / 1e3 / (n / 10),
                inputs,
                cores,
                Runtime.getRuntime().maxMemory() >> 20);
        System.out.println("peak heap: the sum of the heap pools' peak usage (MemoryPoolMXBean, reset before each run;"
                + " an upper bound: pools peak at different times, garbage included)");

        SparkSession spark = Bench.localSpark("scale-bench", cores, Map.of());
        try {
            run(spark, model, few.toUri().toString(), work.resolve("warmup"), null); // JIT, first task, first write
            Bench.Timed fixed = run(spark, model, few.toUri().toString(), work.resolve("few-out"), "fixed cost");
            Bench.Timed tenth =
                    run(spark, model, inputs.resolve("tenth").toUri().toString(), work.resolve("tenth"), "N/10");
            Bench.Timed all = run(spark, model, inputs.resolve("all").toUri().toString(), work.resolve("all"), "N");
            System.out.printf(
                    "growth=%.2f (N: %.2f s, N/10: %.2f s, less the fixed cost %.2f s; goal at most 10.5)%n",
                    (all.seconds() - fixed.seconds()) / (tenth.seconds() - fixed.seconds()),
                    all.seconds(),
                    tenth.seconds(),
                    fixed.seconds());
        } finally {
            spark.stop();
        }
    }

    /** A timed run on {@code input}, printed under {@code label} unless that is null (a warm-up). */
    private static Bench.Timed run(SparkSession spark, Path model, String input, Path out, String label)
            throws Exception {
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP)
                .toList();
        System.gc();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        Bench.Timed t = Bench.timed(() -> Bench.job(spark, input, model, out, "--batch-size", "" + Bench.BATCH));
        long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        System.gc();
        long retained =
                Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        if (label != null) {
            System.out.printf(
                    "%s: %s, peak heap %d MB, %d MB after the run and a System.gc()%n",
                    label, t.images(), peak >> 20, retained >> 20);
            System.out.println("   " + t.phases());
        }
        return t;
    }

    /**
     * The folder of {@code n} inputs, written once (in parallel on {@code threads}) and kept in the temporary folder:
     * {@code all} holds them, {@code tenth} the first n/10 as links to the same files, both flat, so that the two runs
     * list and read alike.
     */
    private static Path generated(int n, int threads) throws Exception {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "inspection-bench-scale-" + SIDE, String.valueOf(n));
        if (Files.exists(dir)) {
            return dir;
        }
        System.out.printf("Writing %d %dx%d JPEGs (once)...%n", n, SIDE, SIDE);
        List<byte[]> pictures = new ArrayList<>();
        for (int i = 0; i < DISTINCT; i++) {
            pictures.add(picture(i));
        }
        Files.createDirectories(dir.getParent());
        Path partial = Files.createTempDirectory(dir.getParent(), "partial");
        Path all = Files.createDirectories(partial.resolve("all"));
        Path tenth = Files.createDirectories(partial.resolve("tenth"));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t;
            done.add(pool.submit(() -> {
                for (int i = first; i < n; i += threads) {
                    Path file = all.resolve(String.format("board-%07d.jpg", i));
                    Files.write(file, pictures.get(i % DISTINCT));
                    if (i < n / 10) {
                        Files.createLink(tenth.resolve(file.getFileName()), file);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
        return dir;
    }

    /** A green board with a few parts on it, placed by the seed: a JPEG of a few KB. */
    private static byte[] picture(int seed) throws IOException {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(25, 115, 60));
        g.fillRect(0, 0, SIDE, SIDE);
        for (int i = 0; i < 4; i++) {
            g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)));
            g.fillRect(
                    random.nextInt(SIDE - 16),
                    random.nextInt(SIDE - 16),
                    8 + random.nextInt(12),
                    8 + random.nextInt(12));
        }
        g.dispose();
        byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < bgr.length; i++) { // a camera's grain: a few KB of JPEG rather than one
            bgr[i] = (byte) Math.max(0, Math.min(255, (bgr[i] & 0xff) + random.nextInt(25) - 12));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "jpeg", bytes);
        return bytes.toByteArray();
    }

    private static long folderBytes(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            long sum = 0;
            for (Path f : (Iterable<Path>) files::iterator) {
                sum += Files.size(f);
            }
            return sum;
        }
    }
}
