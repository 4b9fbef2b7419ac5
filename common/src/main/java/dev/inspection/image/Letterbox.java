package dev.inspection.image;

/**
 * How an image is fitted into a model's input, RGB scaled to [0, 1], planar (CHW): the letterbox that Ultralytics
 * exporters expect (scale to fit keeping the aspect ratio, centre, pad with gray 114), or the plain stretch that
 * anomalib's resize does. Also maps boxes from model input pixels back to the original image.
 *
 * <p>Rounding follows Ultralytics' {@code LetterBox} (Python's round-half-even, and the {@code -0.1/+0.1} split of odd
 * padding), and the letterbox resizes as it does, with OpenCV's {@code cv2.resize(INTER_LINEAR)} on 8-bit pixels
 * ({@link LinearResize}, bit-exact), so a detector sees here the tensor it saw when it was validated. The stretch keeps
 * a float bilinear resize (half-pixel centres, no antialiasing, no rounding to 8 bits).
 *
 * @param scaledWidth input columns the image covers
 * @param scaledHeight input rows the image covers
 * @param padLeft input columns of padding left of the image
 * @param padTop input rows of padding above the image
 * @param sampling how the pixels are resized
 */
public record Letterbox(
        int sourceWidth,
        int sourceHeight,
        int inputWidth,
        int inputHeight,
        int scaledWidth,
        int scaledHeight,
        int padLeft,
        int padTop,
        Sampling sampling) {

    /** How {@link #fill} resizes. */
    public enum Sampling {
        /** Ultralytics' letterbox: cv2.resize INTER_LINEAR to 8-bit pixels, then /255. */
        OPENCV_LINEAR_8BIT,
        /** Float bilinear at half-pixel centres straight into the tensor, never rounded to 8 bits. */
        FLOAT_BILINEAR
    }

    public Letterbox {
        java.util.Objects.requireNonNull(sampling, "sampling");
    }

    private static final float PAD = 114f / 255f;

    /** v / 255 for each byte, as Ultralytics divides the uint8 tensor (a float32 division). */
    private static final float[] UNIT = new float[256];

    static {
        for (int i = 0; i < 256; i++) {
            UNIT[i] = i / 255f;
        }
    }

    public static Letterbox of(int sourceWidth, int sourceHeight, int inputWidth, int inputHeight) {
        double scale = Math.min((double) inputWidth / sourceWidth, (double) inputHeight / sourceHeight);
        int w = scaled(sourceWidth, scale);
        int h = scaled(sourceHeight, scale);
        return new Letterbox(
                sourceWidth,
                sourceHeight,
                inputWidth,
                inputHeight,
                w,
                h,
                (int) Math.rint((inputWidth - w) / 2.0 - 0.1),
                (int) Math.rint((inputHeight - h) / 2.0 - 0.1),
                Sampling.OPENCV_LINEAR_8BIT);
    }

    /** The whole input, aspect ratio not kept, no padding: anomalib's resize. */
    public static Letterbox stretch(int sourceWidth, int sourceHeight, int inputWidth, int inputHeight) {
        return new Letterbox(
                sourceWidth,
                sourceHeight,
                inputWidth,
                inputHeight,
                inputWidth,
                inputHeight,
                0,
                0,
                Sampling.FLOAT_BILINEAR);
    }

    /** Input pixels per original pixel, across. */
    public double scaleX() {
        return scaledWidth / (double) sourceWidth;
    }

    public double scaleY() {
        return scaledHeight / (double) sourceHeight;
    }

    /** Python's round (half to even), and never below one pixel however thin the image. */
    private static int scaled(int side, double scale) {
        return Math.max(1, (int) Math.rint(side * scale));
    }

    /**
     * Writes the letterboxed image into {@code out} as three planes of {@code inputHeight * inputWidth} floats, starting
     * at {@code offset}: one image of a [N, 3, H, W] batch.
     */
    public void fill(RgbImage image, float[] out, int offset) {
        if (sampling == Sampling.OPENCV_LINEAR_8BIT) {
            fillScaled(resize(image), out, offset);
            return;
        }
        checkSource(image);
        int plane = inputWidth * inputHeight;
        java.util.Arrays.fill(out, offset, offset + 3 * plane, PAD);
        fillFloatBilinear(image, out, offset, plane);
    }

    private void checkSource(RgbImage image) {
        if (image.width() != sourceWidth || image.height() != sourceHeight) {
            throw new IllegalArgumentException("letterbox made for " + sourceWidth + "x" + sourceHeight + ", got "
                    + image.width() + "x" + image.height());
        }
    }

    /**
     * The image at the letterbox's scaled size, resized as Ultralytics' LetterBox does: cv2.resize INTER_LINEAR to 8
     * bits, skipped (the image itself) where the size is kept. What {@link #fillScaled} takes.
     */
    public RgbImage resize(RgbImage image) {
        if (sampling != Sampling.OPENCV_LINEAR_8BIT) {
            throw new IllegalStateException("a " + sampling + " letterbox resizes into the tensor only");
        }
        checkSource(image);
        return scaledWidth == image.width() && scaledHeight == image.height()
                ? image
                : LinearResize.resize(image, scaledWidth, scaledHeight);
    }

    /**
     * As {@link #fill}, from the image already {@link #resize resized}: the padding, then the pixels as planes of
     * v / 255. A batch can hold the 8-bit scaled picture (1.2 MB at 640) rather than its float planes (4.9 MB).
     */
    public void fillScaled(RgbImage scaled, float[] out, int offset) {
        if (scaled.width() != scaledWidth || scaled.height() != scaledHeight) {
            throw new IllegalArgumentException("letterbox scales to " + scaledWidth + "x" + scaledHeight + ", got "
                    + scaled.width() + "x" + scaled.height());
        }
        int plane = inputWidth * inputHeight;
        int w = scaledWidth;
        int h = scaledHeight;
        fillPadding(out, offset, plane);
        byte[] rgb = scaled.rgb();
        for (int y = 0; y < h; y++) {
            int src = y * w * 3;
            int dst = offset + (y + padTop) * inputWidth + padLeft;
            for (int x = 0; x < w; x++, src += 3) {
                out[dst + x] = UNIT[rgb[src] & 0xff];
                out[dst + plane + x] = UNIT[rgb[src + 1] & 0xff];
                out[dst + 2 * plane + x] = UNIT[rgb[src + 2] & 0xff];
            }
        }
    }

    /** The gray border around the picture, in each plane: the rows above and below it, the columns beside it. */
    private void fillPadding(float[] out, int offset, int plane) {
        for (int c = 0; c < 3; c++) {
            int p = offset + c * plane;
            java.util.Arrays.fill(out, p, p + padTop * inputWidth, PAD);
            java.util.Arrays.fill(out, p + (padTop + scaledHeight) * inputWidth, p + plane, PAD);
            if (scaledWidth < inputWidth) {
                for (int y = padTop; y < padTop + scaledHeight; y++) {
                    int row = p + y * inputWidth;
                    java.util.Arrays.fill(out, row, row + padLeft, PAD);
                    java.util.Arrays.fill(out, row + padLeft + scaledWidth, row + inputWidth, PAD);
                }
            }
        }
    }

    private void fillFloatBilinear(RgbImage image, float[] out, int offset, int plane) {
        int w = scaledWidth();
        int h = scaledHeight();
        int[] x0 = new int[w];
        int[] x1 = new int[w];
        float[] fx = new float[w];
        axis(sourceWidth, w, x0, x1, fx);
        int[] y0 = new int[h];
        int[] y1 = new int[h];
        float[] fy = new float[h];
        axis(sourceHeight, h, y0, y1, fy);
        byte[] rgb = image.rgb();
        int rowBytes = sourceWidth * 3;
        final float inv = 1f / 255f;
        for (int y = 0; y < h; y++) {
            int top = y0[y] * rowBytes;
            int bottom = y1[y] * rowBytes;
            float wy = fy[y];
            int dst = offset + (y + padTop) * inputWidth + padLeft;
            for (int x = 0; x < w; x++) {
                int a = x0[x] * 3;
                int b = x1[x] * 3;
                float wx = fx[x];
                for (int c = 0; c < 3; c++) {
                    float t = (rgb[top + a + c] & 0xff) * (1 - wx) + (rgb[top + b + c] & 0xff) * wx;
                    float d = (rgb[bottom + a + c] & 0xff) * (1 - wx) + (rgb[bottom + b + c] & 0xff) * wx;
                    out[dst + c * plane + x] = (t * (1 - wy) + d * wy) * inv;
                }
            }
        }
    }

    /** OpenCV INTER_LINEAR sampling positions: source = (dest + 0.5) * src / dst - 0.5, clamped at the borders. */
    private static void axis(int src, int dst, int[] lo, int[] hi, float[] frac) {
        double ratio = (double) src / dst;
        for (int i = 0; i < dst; i++) {
            double s = (i + 0.5) * ratio - 0.5;
            if (s < 0) {
                s = 0;
            }
            int l = (int) Math.floor(s);
            if (l >= src - 1) {
                lo[i] = src - 1;
                hi[i] = src - 1;
                frac[i] = 0;
            } else {
                lo[i] = l;
                hi[i] = l + 1;
                frac[i] = (float) (s - l);
            }
        }
    }

    /** Input-pixel x to original-pixel x, clipped to the image. */
    public double toSourceX(double x) {
        return clip((x - padLeft) / scaleX(), sourceWidth);
    }

    public double toSourceY(double y) {
        return clip((y - padTop) / scaleY(), sourceHeight);
    }

    private static double clip(double v, int max) {
        return Math.max(0, Math.min(max, v));
    }
}
