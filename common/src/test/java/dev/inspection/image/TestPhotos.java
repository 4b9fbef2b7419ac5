package dev.inspection.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Camera-size JPEGs with a photo's entropy, for benchmarks and tests: a roof of slate shingles in staggered rows
 * (each shingle its own shade, darker towards its lower edge, dark gaps between), with lichen blotches and fine
 * per-pixel grain, JPEG quality 0.92 with 4:2:0 chroma as cameras write it. A 5472 x 3648 one is about 6 MB, as a
 * drone photo is; a plain synthetic picture would be a few hundred KB and decode far faster than a real photo.
 */
public final class TestPhotos {

    /** A phone's 12 MP photo. */
    public static final int[] PHONE = {4032, 3024};

    /** A drone's 20 MP photo (DJI Phantom 4 Pro, Mavic 2 Pro). */
    public static final int[] DRONE = {5472, 3648};

    private TestPhotos() {}

    /** The JPEG bytes of a {@code width x height} roof photo; the same bytes for the same arguments. */
    public static byte[] roof(int width, int height, long seed) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        long state = seed * 0x9E3779B97F4A7C15L + 1;
        int tileW = Math.max(8, width / 90);
        int tileH = Math.max(6, tileW / 2);
        int rowsOfTiles = height / tileH + 1;
        int colsOfTiles = width / tileW + 2;
        int[] shade = new int[rowsOfTiles * colsOfTiles * 3];
        for (int i = 0; i < shade.length; i += 3) {
            state = next(state);
            int base = 70 + (int) ((state >>> 40) % 60);
            state = next(state);
            int warm = (int) ((state >>> 40) % 25);
            shade[i] = base + warm; // R
            shade[i + 1] = base + warm / 2; // G
            shade[i + 2] = base - warm / 3; // B
        }
        int o = 0;
        for (int y = 0; y < height; y++) {
            int row = y / tileH;
            int inRow = y % tileH;
            int offset = (row & 1) * tileW / 2;
            double lower = 1.0 - 0.35 * inRow / tileH; // darker towards the shingle's lower edge
            for (int x = 0; x < width; x++, o += 3) {
                int col = (x + offset) / tileW;
                int inCol = (x + offset) % tileW;
                int t = (row * colsOfTiles + col) * 3;
                state = next(state);
                int grain = (int) ((state >>> 56) & 0x3f) + (int) ((state >>> 48) & 0x3f) - 63; // -63..63, triangular
                int chroma = (int) ((state >>> 40) & 0x0f) - 8;
                boolean gap = inRow < 2 || inCol < 2;
                double lichen = ((x * 7 + y * 13) % 997 < 40 && ((x / 37 + y / 29) & 3) == 0) ? 1.3 : 1.0;
                for (int c = 0; c < 3; c++) {
                    int v = gap ? 25 : (int) (shade[t + (2 - c)] * lower * (c == 1 ? lichen : 1.0));
                    v += grain / 4 + (c == 0 ? chroma : c == 2 ? -chroma : 0);
                    bgr[o + c] = (byte) Math.max(0, Math.min(255, v));
                }
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.92f);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** {@link #roof} cached under {@code dir} by its size and seed, written once. */
    public static Path roofFile(Path dir, int width, int height, long seed) throws IOException {
        Path file = dir.resolve("roof-" + width + "x" + height + "-" + seed + ".jpg");
        if (!Files.exists(file)) {
            Files.createDirectories(dir);
            Path partial = Files.createTempFile(dir, "roof", ".part");
            Files.write(partial, roof(width, height, seed));
            Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        return file;
    }

    private static long next(long x) {
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        return x;
    }

    /**
     * Mean and maximum absolute difference between a reduced picture and the full one averaged over each {@code d x d}
     * block (a block cut by the right or lower edge averaged over the pixels it has), over all samples.
     */
    public static double[] differenceFromBoxAverage(RgbImage full, RgbImage reduced, int d) {
        int w = reduced.width();
        int h = reduced.height();
        if (w != (full.width() + d - 1) / d || h != (full.height() + d - 1) / d) {
            throw new IllegalArgumentException(
                    w + "x" + h + " is not " + full.width() + "x" + full.height() + " reduced by " + d);
        }
        byte[] f = full.rgb();
        byte[] r = reduced.rgb();
        long sum = 0;
        int max = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    int total = 0;
                    int n = 0;
                    for (int yy = y * d; yy < Math.min(full.height(), y * d + d); yy++) {
                        for (int xx = x * d; xx < Math.min(full.width(), x * d + d); xx++) {
                            total += f[(yy * full.width() + xx) * 3 + c] & 0xff;
                            n++;
                        }
                    }
                    int diff = Math.abs(Math.round(total / (float) n) - (r[(y * w + x) * 3 + c] & 0xff));
                    sum += diff;
                    max = Math.max(max, diff);
                }
            }
        }
        return new double[] {sum / (3.0 * w * h), max};
    }
}
