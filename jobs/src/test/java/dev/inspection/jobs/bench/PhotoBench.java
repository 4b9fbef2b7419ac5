package dev.inspection.jobs.bench;

import dev.inspection.image.ImageDecoder;
import dev.inspection.image.InputRejectedException;
import dev.inspection.image.Letterbox;
import dev.inspection.image.RgbImage;
import dev.inspection.image.TestPhotos;
import dev.inspection.jobs.InspectionJob;
import dev.inspection.model.FloatTensor;
import dev.inspection.model.ModelPackage;
import dev.inspection.tile.TileMerge;
import dev.inspection.tile.Tiling;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.SparkSession;

/**
 * {@code scripts/bench.sh photos}: camera-size JPEGs ({@link TestPhotos}: a phone's 12 MP, a drone's 20 MP, written
 * once into the temporary folder), on one model and one number of cores. For each size: decoding only (ImageIO's full
 * decode, and {@link ImageDecoder#decodeAtLeast} at the size the model's letterbox needs), on one core and on all;
 * (a) the bare inference loop on the same photos' tensors and (b) the whole job untiled; then the whole job tiled on
 * a quarter of the photos (at least 2), in model inputs (tiles and full frames) per second, against the bare loop on
 * as many tensors. The last line is
 * {@code ratio=b/a} of the untiled drone photos.
 */
public final class PhotoBench {

    /** Distinct photos per size; the job's inputs are copies of them. */
    private static final int DISTINCT = 3;

    public static void main(String[] argv) throws Exception {
        Path model = Path.of(argv[0]);
        int count = Integer.parseInt(argv[1]);
        int cores = Integer.parseInt(argv[2]);
        int tile = Integer.parseInt(argv[3]);
        Path cache = Path.of(System.getProperty("java.io.tmpdir"), "inspection-bench-photos");

        Bench.Subject subject = Bench.Subject.detector(model);
        ModelPackage pkg = subject.pkg();
        int n = subject.batch(Bench.BATCH);
        System.out.printf(
                "model %s (input %dx%d, batch %d), %d photos per size, %d cores, tiles of %d%n",
                model.getFileName(), subject.inputWidth(), subject.inputHeight(), n, count, cores, tile);

        Path work = Files.createTempDirectory("inspection-photo-bench");
        ExecutorService pool = Executors.newFixedThreadPool(cores);
        SparkSession spark = SparkSession.builder()
                .master("local[" + cores + "]")
                .appName("photo-bench")
                .config("spark.ui.enabled", "false")
                .getOrCreate();
        double ratio = Double.NaN;
        double efficiency = Double.NaN;
        try {
            for (int[] size : new int[][] {TestPhotos.PHONE, TestPhotos.DRONE}) {
                String name = size == TestPhotos.PHONE ? "phone" : "drone";
                List<byte[]> photos = new ArrayList<>();
                Path input = work.resolve(name);
                Files.createDirectories(input);
                for (int i = 0; i < count; i++) {
                    Path file = TestPhotos.roofFile(cache, size[0], size[1], i % DISTINCT + 1);
                    if (i < DISTINCT) {
                        photos.add(Files.readAllBytes(file));
                    }
                    Files.copy(file, input.resolve("photo-" + i + ".jpg"));
                }
                long bytes = 0;
                for (byte[] p : photos) {
                    bytes += p.length;
                }
                Letterbox box = Letterbox.of(size[0], size[1], subject.inputWidth(), subject.inputHeight());
                int minWidth = box.scaledWidth();
                int minHeight = box.scaledHeight();
                ImageDecoder decoder = new ImageDecoder(100_000_000);
                int denominator = decoder.decodeAtLeast(photos.get(0), minWidth, minHeight)
                        .denominator();
                System.out.printf(
                        "%s photos %dx%d, %.1f MB each; the model needs %dx%d: reduced decode at 1/%d%n",
                        name, size[0], size[1], bytes / 1e6 / photos.size(), minWidth, minHeight, denominator);

                double fullDecode = decodeFigures(pool, cores, count, "full", photos, decoder::decode);
                decodeFigures(
                        pool,
                        cores,
                        count,
                        "reduced 1/" + denominator,
                        photos,
                        b -> decoder.decodeAtLeast(b, minWidth, minHeight).image());

                // (a) Bare inference on the photos' tensors, decoded in full and letterboxed beforehand.
                List<RgbImage> decoded = new ArrayList<>();
                for (byte[] p : photos) {
                    decoded.add(decoder.decode(p));
                }
                List<FloatTensor> tensors = subject.tensors(decoded, n);
                decoded.clear();
                double bare = Bench.bare(pool, pkg, tensors, cores, count, n).perSecond();
                System.out.printf("  a) bare inference loop: %.2f images/s%n", bare);

                // (b) The whole job untiled: reading, decoding, letterboxing, inference, NMS, Parquet.
                Path warm = work.resolve(name + "-warmup");
                Files.createDirectories(warm);
                Files.copy(input.resolve("photo-0.jpg"), warm.resolve("photo-0.jpg"));
                job(spark, warm, model, work.resolve(name + "-warm-out"));
                long start = System.nanoTime();
                InspectionJob.Result r = job(spark, input, model, work.resolve(name + "-out"));
                double jobSeconds = (System.nanoTime() - start) / 1e9;
                double whole = r.imagesProcessed() / jobSeconds;
                ratio = whole / bare;
                efficiency = whole / Bench.ceiling(fullDecode, bare);
                System.out.printf(
                        "  b) whole job untiled: %.2f images/s (%d images, %d regions in %.2f s)%n",
                        whole, r.imagesProcessed(), r.regionsWritten(), jobSeconds);
                System.out.printf("  ratio=%.3f efficiency=%.3f (%s, untiled)%n", ratio, efficiency, name);

                // Tiled: every tile and the full frame are model inputs; a quarter of the photos give enough of them.
                int tiledCount = Math.min(count, Math.max(2, count / 4));
                Path tiledInput = work.resolve(name + "-for-tiles");
                Files.createDirectories(tiledInput);
                for (int i = 0; i < tiledCount; i++) {
                    Files.copy(input.resolve("photo-" + i + ".jpg"), tiledInput.resolve("photo-" + i + ".jpg"));
                }
                int inputsPerPhoto = new Tiling(tile, 0.2, true, TileMerge.Strategy.NMM, 64)
                                .tiles(size[0], size[1])
                                .size()
                        + 1;
                int inputs = inputsPerPhoto * tiledCount;
                double tiledBare =
                        Bench.bare(pool, pkg, tensors, cores, inputs, n).perSecond();
                String tileSize = String.valueOf(tile);
                job(spark, warm, model, work.resolve(name + "-warm-tiled"), "--tile-size", tileSize);
                start = System.nanoTime();
                r = job(spark, tiledInput, model, work.resolve(name + "-tiled"), "--tile-size", tileSize);
                double tiledSeconds = (System.nanoTime() - start) / 1e9;
                double tiled = inputs / tiledSeconds;
                // A photo is decoded once, then each of its inputs inferred.
                double tiledCeiling = inputsPerPhoto / (1 / fullDecode + inputsPerPhoto / tiledBare);
                System.out.printf(
                        "  tiled %d (%d tiles + full frame per photo): bare loop %.1f inputs/s,"
                                + " whole job %.1f inputs/s (%d photos, %d inputs, %d regions in %.2f s), ratio=%.3f"
                                + " efficiency=%.3f%n",
                        tile,
                        inputsPerPhoto - 1,
                        tiledBare,
                        tiled,
                        r.imagesProcessed(),
                        inputs,
                        r.regionsWritten(),
                        tiledSeconds,
                        tiled / tiledBare,
                        tiled / tiledCeiling);
            }
        } finally {
            spark.stop();
            pool.shutdown();
        }
        System.out.printf("ratio=%.3f efficiency=%.3f%n", ratio, efficiency);
    }

    interface Decode {
        RgbImage run(byte[] encoded) throws InputRejectedException;
    }

    /**
     * Decoding only, {@code count} photos on one core and then on {@code cores} threads, after a warm-up; the photos
     * per second on all the cores.
     */
    private static double decodeFigures(
            ExecutorService pool, int cores, int count, String name, List<byte[]> photos, Decode decode)
            throws Exception {
        for (byte[] p : photos) {
            decode.run(p); // warm-up
        }
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            decode.run(photos.get(i % photos.size()));
        }
        double one = (System.nanoTime() - start) / 1e9;
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> done = new ArrayList<>();
        start = System.nanoTime();
        for (int t = 0; t < cores; t++) {
            done.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    decode.run(photos.get(i % photos.size()));
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        double all = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                "  decode only, %-14s 1 core: %6.1f images/s, %6.1f ms/image;  %d cores: %6.1f images/s, %6.1f ms/image%n",
                name + ":", count / one, one * 1000 / count, cores, count / all, all * 1000 / count);
        return count / all;
    }

    private static InspectionJob.Result job(SparkSession spark, Path input, Path model, Path out, String... extra)
            throws Exception {
        List<String> args = new ArrayList<>(List.of("--batch-size", String.valueOf(Bench.BATCH)));
        args.addAll(List.of(extra));
        return Bench.job(spark, input.toUri().toString(), model, out, args.toArray(String[]::new));
    }
}
