package dev.inspection.image;

import java.io.Serializable;
import java.util.Arrays;

/**
 * How 8-bit pixels become a model's input values, as each family's reference computes them in float32: {@code (v /
 * divisor - mean[c]) / std[c]} for each input channel {@code c}, the channels in RGB or BGR order, and the 8-bit
 * value the padding has before it is mapped (Ultralytics pads with 114 and then divides, NanoDet pads with 0 and then
 * normalizes). One division and one subtraction, in the references' order, so the values are theirs to the bit.
 *
 * @param divisor 255 for inputs in [0, 1], 1 for inputs in [0, 255]
 * @param mean per input channel, in the units after the division; null for none
 * @param std per input channel; null for none
 */
public record PixelMap(boolean bgr, float divisor, float[] mean, float[] std, int pad) implements Serializable {

    /** Ultralytics: RGB / 255, gray 114 padding. */
    public static final PixelMap ULTRALYTICS = new PixelMap(false, 255f, null, null, 114);

    public PixelMap {
        if (!(divisor > 0) || pad < 0 || pad > 255) {
            throw new IllegalArgumentException(
                    "pixel divisor must be positive and pad in 0..255, got " + divisor + " and " + pad);
        }
        if ((mean == null) != (std == null)
                || (mean != null && (mean.length != 3 || std.length != 3))
                || (std != null && !(std[0] > 0 && std[1] > 0 && std[2] > 0))) {
            throw new IllegalArgumentException("mean and std need three values each, std positive; got "
                    + Arrays.toString(mean) + " and " + Arrays.toString(std));
        }
    }

    /** The picture's channel (0 red, 1 green, 2 blue) that input channel {@code c} holds. */
    public int sourceChannel(int c) {
        return bgr ? 2 - c : c;
    }

    /** For each input channel, the value of each 8-bit level of the channel it holds. */
    public float[][] table() {
        float[][] t = new float[3][256];
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                t[c][v] = value(c, v);
            }
        }
        return t;
    }

    /** The value of 8-bit level {@code v} in input channel {@code c}. */
    public float value(int c, int v) {
        float x = v / divisor;
        return mean == null ? x : (x - mean[c]) / std[c];
    }

    /**
     * Normalizes planes already in [0, 1] ({@link Letterbox#fill}'s float sampling) with the mean and std: where a
     * reference resizes floats, normalizing before or after the resize differs only in float rounding.
     */
    public void normalize(float[] planes, int offset, int plane) {
        if (mean == null) {
            return;
        }
        for (int c = 0; c < 3; c++) {
            float m = mean[c];
            float s = std[c];
            for (int i = offset + c * plane, end = i + plane; i < end; i++) {
                planes[i] = (planes[i] - m) / s;
            }
        }
    }

    @Override
    public String toString() {
        return (bgr ? "BGR" : "RGB") + " / " + divisor
                + (mean == null ? "" : ", mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std)) + ", pad "
                + pad;
    }
}
