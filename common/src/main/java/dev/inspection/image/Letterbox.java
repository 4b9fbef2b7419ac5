package dev.inspection.image;

import java.util.Arrays;

/**
 * Where a picture goes in a model's input, and how its pixels are resized there: the letterbox that Ultralytics
 * exporters expect (scale to fit keeping the aspect ratio, centre, pad with gray 114), the other detector families'
 * fits ({@link Fit}), or the plain stretch that anomalib's resize does. Also maps boxes from model input pixels back
 * to the original image, as each family's reference does (dividing by its scale, after taking off the padding).
 *
 * <p>Rounding follows each reference: Ultralytics' {@code LetterBox} (Python's round-half-even, and the
 * {@code -0.1/+0.1} split of odd padding), Megvii's and NanoDet's {@code int()} truncations. The 8-bit samplings resize
 * with OpenCV's {@code cv2.resize} on 8-bit pixels ({@link LinearResize}, {@link AreaResize}, bit-exact), so a detector
 * sees here the tensor it saw when it was validated. The anomaly stretch keeps a float bilinear resize (half-pixel
 * centres, no antialiasing, no rounding to 8 bits).
 *
 * @param scaledWidth input columns the image covers
 * @param scaledHeight input rows the image covers
 * @param padLeft input columns of padding left of the image
 * @param padTop input rows of padding above the image
 * @param gainX input pixels per original pixel across, as the reference maps boxes back
 * @param gainY input pixels per original pixel down
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
        double gainX,
        double gainY,
        Sampling sampling) {

    /** How {@link #fill} resizes. */
    public enum Sampling {
        /** cv2.resize INTER_LINEAR to 8-bit pixels, then the pixel map (Ultralytics, YOLOX, the DETR family). */
        OPENCV_LINEAR_8BIT,
        /** cv2.resize INTER_AREA to 8-bit pixels, then the pixel map (NanoDet's and PicoDet's demos). */
        OPENCV_AREA_8BIT,
        /** Float bilinear at half-pixel centres straight into the tensor, never rounded to 8 bits (anomalib). */
        FLOAT_BILINEAR
    }

    /** Where the picture goes in the input, each as a family's reference computes it. */
    public enum Fit {
        /** Ultralytics' LetterBox: the ratio kept, sizes rounded half to even, centred. */
        LETTERBOX,
        /** Megvii YOLOX's {@code preproc}: the ratio kept, sizes truncated, top left (padding right and below). */
        LETTERBOX_TOP_LEFT,
        /** NanoDet's demos: the long side fills the input, the other truncated, centred; a square picture stretched. */
        KEEP_RATIO,
        /** The whole input, the ratio not kept (the DETR family, Ultralytics' RT-DETR, anomalib). */
        STRETCH,
        /** The picture at its own size, the input as large (torchvision's and TensorFlow's detectors resize inside). */
        NONE
    }

    public Letterbox {
        java.util.Objects.requireNonNull(sampling, "sampling");
    }

    /** Ultralytics' letterbox with its 8-bit linear resize. */
    public static Letterbox of(int sourceWidth, int sourceHeight, int inputWidth, int inputHeight) {
        return of(Fit.LETTERBOX, Sampling.OPENCV_LINEAR_8BIT, sourceWidth, sourceHeight, inputWidth, inputHeight);
    }

    /** The whole input, aspect ratio not kept, no padding, float bilinear: anomalib's resize. */
    public static Letterbox stretch(int sourceWidth, int sourceHeight, int inputWidth, int inputHeight) {
        return of(Fit.STRETCH, Sampling.FLOAT_BILINEAR, sourceWidth, sourceHeight, inputWidth, inputHeight);
    }

    /** Where a picture goes; with {@link Fit#NONE} the input is the picture's size, whatever the one given. */
    public static Letterbox of(
            Fit fit, Sampling sampling, int sourceWidth, int sourceHeight, int inputWidth, int inputHeight) {
        double r = Math.min((double) inputWidth / sourceWidth, (double) inputHeight / sourceHeight);
        return switch (fit) {
            case LETTERBOX -> {
                int w = Math.max(1, (int) Math.rint(sourceWidth * r)); // Python's round, never below one pixel
                int h = Math.max(1, (int) Math.rint(sourceHeight * r));
                int left = (int) Math.rint((inputWidth - w) / 2.0 - 0.1);
                int top = (int) Math.rint((inputHeight - h) / 2.0 - 0.1);
                yield new Letterbox(
                        sourceWidth, sourceHeight, inputWidth, inputHeight, w, h, left, top, r, r, sampling);
            }
            case LETTERBOX_TOP_LEFT -> {
                int w = Math.max(1, (int) (sourceWidth * r));
                int h = Math.max(1, (int) (sourceHeight * r));
                yield new Letterbox(sourceWidth, sourceHeight, inputWidth, inputHeight, w, h, 0, 0, r, r, sampling);
            }
            case KEEP_RATIO -> keepRatio(sampling, sourceWidth, sourceHeight, inputWidth, inputHeight);
            case NONE ->
                new Letterbox(
                        sourceWidth,
                        sourceHeight,
                        sourceWidth,
                        sourceHeight,
                        sourceWidth,
                        sourceHeight,
                        0,
                        0,
                        1,
                        1,
                        sampling);
            case STRETCH ->
                new Letterbox(
                        sourceWidth,
                        sourceHeight,
                        inputWidth,
                        inputHeight,
                        inputWidth,
                        inputHeight,
                        0,
                        0,
                        (double) inputWidth / sourceWidth,
                        (double) inputHeight / sourceHeight,
                        sampling);
        };
    }

    /** NanoDet's demo {@code resize_image}: {@code h / w} decides which side fills the input; boxes map back by it. */
    private static Letterbox keepRatio(
            Sampling sampling, int sourceWidth, int sourceHeight, int inputWidth, int inputHeight) {
        if (sourceWidth == sourceHeight) {
            return of(Fit.STRETCH, sampling, sourceWidth, sourceHeight, inputWidth, inputHeight);
        }
        double hw = (double) sourceHeight / sourceWidth;
        int w = inputWidth;
        int h = inputHeight;
        int left = 0;
        int top = 0;
        if (hw > 1) {
            w = Math.max(1, (int) (inputWidth / hw));
            left = (int) ((inputWidth - w) * 0.5);
        } else {
            h = Math.max(1, (int) (inputHeight * hw));
            top = (int) ((inputHeight - h) * 0.5);
        }
        return new Letterbox(
                sourceWidth,
                sourceHeight,
                inputWidth,
                inputHeight,
                w,
                h,
                left,
                top,
                (double) w / sourceWidth,
                (double) h / sourceHeight,
                sampling);
    }

    /** Input pixels per original pixel, across. */
    public double scaleX() {
        return gainX;
    }

    public double scaleY() {
        return gainY;
    }

    /**
     * Writes the letterboxed image into {@code out} as three planes of {@code inputHeight * inputWidth} floats, starting
     * at {@code offset}: one image of a [N, 3, H, W] batch, its pixels mapped as Ultralytics maps them (anomaly
     * models normalize afterwards).
     */
    public void fill(RgbImage image, float[] out, int offset) {
        if (sampling != Sampling.FLOAT_BILINEAR) {
            fillScaled(resize(image), PixelMap.ULTRALYTICS, out, offset);
            return;
        }
        checkSource(image);
        int plane = inputWidth * inputHeight;
        float pad = PixelMap.ULTRALYTICS.value(0, PixelMap.ULTRALYTICS.pad());
        for (int c = 0; c < 3; c++) {
            fillPadding(out, offset + c * plane, pad); // the border only: nothing where the picture fills the input
        }
        fillFloatBilinear(image, out, offset, plane);
    }

    private void checkSource(RgbImage image) {
        if (image.width() != sourceWidth || image.height() != sourceHeight) {
            throw new IllegalArgumentException("letterbox made for " + sourceWidth + "x" + sourceHeight + ", got "
                    + image.width() + "x" + image.height());
        }
    }

    /**
     * The image at the letterbox's scaled size, resized with OpenCV's 8-bit resize of this sampling, skipped (the image
     * itself) where the size is kept. What {@link #fillScaled} takes.
     */
    public RgbImage resize(RgbImage image) {
        checkSource(image);
        if (scaledWidth == image.width() && scaledHeight == image.height()) {
            return image;
        }
        return switch (sampling) {
            case OPENCV_LINEAR_8BIT -> LinearResize.resize(image, scaledWidth, scaledHeight);
            case OPENCV_AREA_8BIT -> AreaResize.resize(image, scaledWidth, scaledHeight);
            case FLOAT_BILINEAR ->
                throw new IllegalStateException("a " + sampling + " letterbox resizes into the tensor only");
        };
    }

    /**
     * As {@link #fill}, from the image already {@link #resize resized}: the padding, then the pixels as planes of the
     * values the pixel map gives. A batch can hold the 8-bit scaled picture (1.2 MB at 640) rather than its float
     * planes (4.9 MB).
     */
    public void fillScaled(RgbImage scaled, PixelMap pixels, float[] out, int offset) {
        checkScaled(scaled);
        int plane = inputWidth * inputHeight;
        int w = scaledWidth;
        float[][] table = pixels.table();
        byte[] rgb = scaled.rgb();
        for (int c = 0; c < 3; c++) {
            float[] t = table[c];
            fillPadding(out, offset + c * plane, t[pixels.pad()]);
            int s = pixels.sourceChannel(c);
            for (int y = 0; y < scaledHeight; y++) {
                int src = y * w * 3 + s;
                int dst = offset + c * plane + (y + padTop) * inputWidth + padLeft;
                for (int x = 0; x < w; x++, src += 3) {
                    out[dst + x] = t[rgb[src] & 0xff];
                }
            }
        }
    }

    /**
     * As {@link #fillScaled}, interleaved ({@code [H, W, 3]}, as TensorFlow's models take it) from {@code offset}: one
     * image of a [N, H, W, 3] batch.
     */
    public void fillScaledInterleaved(RgbImage scaled, PixelMap pixels, float[] out, int offset) {
        float[][] table = pixels.table();
        interleave(scaled, pixels, (i, c, v) -> out[offset + i] = table[c][v]);
    }

    /** The 8-bit pixels themselves, interleaved, the padding its 8-bit value: a uint8 {@code [H, W, 3]} image. */
    public void fillScaledBytes(RgbImage scaled, PixelMap pixels, byte[] out, int offset) {
        interleave(scaled, pixels, (i, c, v) -> out[offset + i] = (byte) v);
    }

    private interface Put {
        void value(int index, int channel, int level);
    }

    private void interleave(RgbImage scaled, PixelMap pixels, Put put) {
        checkScaled(scaled);
        byte[] rgb = scaled.rgb();
        for (int y = 0; y < inputHeight; y++) {
            for (int x = 0; x < inputWidth; x++) {
                int sy = y - padTop;
                int sx = x - padLeft;
                boolean inside = sy >= 0 && sy < scaledHeight && sx >= 0 && sx < scaledWidth;
                int src = (sy * scaledWidth + sx) * 3;
                for (int c = 0; c < 3; c++) {
                    put.value(
                            (y * inputWidth + x) * 3 + c,
                            c,
                            inside ? rgb[src + pixels.sourceChannel(c)] & 0xff : pixels.pad());
                }
            }
        }
    }

    private void checkScaled(RgbImage scaled) {
        if (scaled.width() != scaledWidth || scaled.height() != scaledHeight) {
            throw new IllegalArgumentException("letterbox scales to " + scaledWidth + "x" + scaledHeight + ", got "
                    + scaled.width() + "x" + scaled.height());
        }
    }

    /** The border around the picture in one plane: the rows above and below it, the columns beside it. */
    private void fillPadding(float[] out, int p, float pad) {
        int plane = inputWidth * inputHeight;
        Arrays.fill(out, p, p + padTop * inputWidth, pad);
        Arrays.fill(out, p + (padTop + scaledHeight) * inputWidth, p + plane, pad);
        if (scaledWidth < inputWidth) {
            for (int y = padTop; y < padTop + scaledHeight; y++) {
                int row = p + y * inputWidth;
                Arrays.fill(out, row, row + padLeft, pad);
                Arrays.fill(out, row + padLeft + scaledWidth, row + inputWidth, pad);
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
