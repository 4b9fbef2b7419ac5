package dev.inspection.eval;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/**
 * A ground-truth mask read from an image file (PNG or any format ImageIO reads), as anomalib reads one: converted to
 * gray as PIL's {@code convert("L")} does (L = (299 R + 587 G + 114 B) / 1000), anomalous where the gray is above
 * 127, and resized to the anomaly map's size with nearest-neighbour sampling, as torchvision's v2 {@code Resize}
 * resizes a {@code Mask} (PyTorch's {@code nearest}: source pixel floor(x * in / out), not {@code nearest-exact}).
 * anomalib 2.x divides the gray by 255 and truncates to uint8, which binarizes at 255; MVTec AD masks are 0 and
 * 255, where the two agree, and 127 is the midpoint that a mask saved with antialiasing or JPEG noise needs.
 */
public final class MaskImage {

    private MaskImage() {}

    /**
     * The mask of {@code file} at {@code width x height}, row-major, true where anomalous.
     *
     * @throws IllegalArgumentException when the bytes are not an image ImageIO can read
     */
    public static boolean[] read(byte[] file, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("mask size must be positive, got " + width + " x " + height);
        }
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(file));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(
                    "unreadable mask image (" + file.length + " bytes): " + e.getMessage(), e);
        }
        if (image == null) {
            throw new IllegalArgumentException(
                    "mask is not in an image format ImageIO reads (" + file.length + " bytes)");
        }
        boolean[] source = binarize(image);
        int inW = image.getWidth();
        int inH = image.getHeight();
        boolean[] mask = new boolean[width * height];
        for (int y = 0; y < height; y++) {
            int sy = (int) Math.min(inH - 1, (long) y * inH / height);
            for (int x = 0; x < width; x++) {
                int sx = (int) Math.min(inW - 1, (long) x * inW / width);
                mask[y * width + x] = source[sy * inW + sx];
            }
        }
        return mask;
    }

    private static boolean[] binarize(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        boolean[] out = new boolean[w * h];
        Raster raster = image.getRaster();
        if (raster.getNumBands() <= 2 && !(image.getColorModel() instanceof IndexColorModel)) {
            // Gray (with or without alpha): the stored sample, since getRGB would convert a linear gray to sRGB.
            long maxSample = (1L << image.getColorModel().getComponentSize(0)) - 1;
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    out[y * w + x] = row[x] * 255L / maxSample > 127;
                }
            }
            return out;
        }
        int[] argb = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, argb, 0, w);
            for (int x = 0; x < w; x++) {
                int r = (argb[x] >> 16) & 0xff;
                int g = (argb[x] >> 8) & 0xff;
                int b = argb[x] & 0xff;
                out[y * w + x] = (r * 299 + g * 587 + b * 114) / 1000 > 127;
            }
        }
        return out;
    }
}
