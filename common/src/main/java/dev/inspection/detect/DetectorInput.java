package dev.inspection.detect;

import dev.inspection.image.Letterbox;
import dev.inspection.image.PixelMap;
import dev.inspection.image.RgbImage;
import dev.inspection.model.ModelDescriptor;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * How a detector's input tensor is made from a picture: where the picture goes ({@link Letterbox.Fit}), how it is
 * resized, how its pixels become values, and the tensor's layout and type. Each format has its reference's; {@code
 * model.json}'s {@code input} overrides any part of it.
 *
 * @param nhwc channels last ({@code [N, H, W, 3]}, TensorFlow's), else planes ({@code [N, 3, H, W]})
 * @param uint8 the 8-bit pixels themselves (the pixel map's order and padding, not its values), else float32
 */
public record DetectorInput(
        Letterbox.Fit fit, Letterbox.Sampling sampling, PixelMap pixels, boolean nhwc, boolean uint8)
        implements Serializable {

    /** Ultralytics' predict: letterbox, INTER_LINEAR, RGB / 255, gray 114. */
    public static final DetectorInput ULTRALYTICS = planar(Letterbox.Fit.LETTERBOX, PixelMap.ULTRALYTICS);

    /** A float NCHW input, resized with INTER_LINEAR. */
    static DetectorInput planar(Letterbox.Fit fit, PixelMap pixels) {
        return new DetectorInput(fit, Letterbox.Sampling.OPENCV_LINEAR_8BIT, pixels, false, false);
    }

    /** Where a picture of this size goes in an input of that size. */
    public Letterbox letterbox(int width, int height, int inputWidth, int inputHeight) {
        return Letterbox.of(fit, sampling, width, height, inputWidth, inputHeight);
    }

    /** One picture into a float planar input of this size, from {@code offset}: one image of a [N, 3, H, W] batch. */
    public void fill(RgbImage image, int inputWidth, int inputHeight, float[] out, int offset) {
        Letterbox lb = letterbox(image.width(), image.height(), inputWidth, inputHeight);
        if (sampling == Letterbox.Sampling.FLOAT_BILINEAR) {
            lb.fill(image, out, offset);
            pixels.normalize(out, offset, inputWidth * inputHeight);
        } else {
            lb.fillScaled(lb.resize(image), pixels, out, offset);
        }
    }

    /** This input with what the declaration sets. */
    public DetectorInput with(ModelDescriptor.Input declared) {
        if (declared == null) {
            return this;
        }
        Letterbox.Fit f = declared.resize() == null ? fit : fit(declared.resize());
        Letterbox.Sampling s = declared.interpolation() == null ? sampling : sampling(declared.interpolation());
        boolean channelsLast = declared.layout() == null ? nhwc : choice("layout", declared.layout(), "nchw", "nhwc");
        boolean bytes = declared.type() == null ? uint8 : choice("type", declared.type(), "float32", "uint8");
        boolean bgr =
                declared.channels() == null ? pixels.bgr() : choice("channels", declared.channels(), "rgb", "bgr");
        float divisor = declared.divideBy() == null
                ? pixels.divisor()
                : declared.divideBy().floatValue();
        float[] mean = declared.mean() == null ? pixels.mean() : floats("mean", declared.mean());
        float[] std = declared.std() == null ? pixels.std() : floats("std", declared.std());
        int pad = declared.pad() == null ? pixels.pad() : declared.pad();
        return new DetectorInput(f, s, new PixelMap(bgr, divisor, mean, std, pad), channelsLast, bytes);
    }

    private static Letterbox.Fit fit(String name) {
        return switch (key(name)) {
            case "letterbox" -> Letterbox.Fit.LETTERBOX;
            case "letterboxtopleft" -> Letterbox.Fit.LETTERBOX_TOP_LEFT;
            case "keepratio" -> Letterbox.Fit.KEEP_RATIO;
            case "stretch" -> Letterbox.Fit.STRETCH;
            case "none" -> Letterbox.Fit.NONE;
            default ->
                throw new IllegalArgumentException(ModelDescriptor.FILE_NAME + ": unknown input resize '" + name
                        + "': use letterbox, letterbox-top-left, keep-ratio, stretch or none");
        };
    }

    private static Letterbox.Sampling sampling(String name) {
        return switch (key(name)) {
            case "linear" -> Letterbox.Sampling.OPENCV_LINEAR_8BIT;
            case "area" -> Letterbox.Sampling.OPENCV_AREA_8BIT;
            default ->
                throw new IllegalArgumentException(ModelDescriptor.FILE_NAME + ": unknown input interpolation '" + name
                        + "': use linear or area (OpenCV's INTER_LINEAR, INTER_AREA)");
        };
    }

    /** Which of two values a field has: false for the first, true for the second. */
    private static boolean choice(String field, String value, String first, String second) {
        if (key(value).equals(first) || key(value).equals(second)) {
            return key(value).equals(second);
        }
        throw new IllegalArgumentException(ModelDescriptor.FILE_NAME + ": input " + field + " must be " + first + " or "
                + second + ", got '" + value + "'");
    }

    private static float[] floats(String name, List<Double> values) {
        if (values.size() != 3) {
            throw new IllegalArgumentException(
                    ModelDescriptor.FILE_NAME + ": input " + name + " needs 3 values, got " + values);
        }
        return new float[] {
            values.get(0).floatValue(),
            values.get(1).floatValue(),
            values.get(2).floatValue()
        };
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }

    @Override
    public String toString() {
        return fit + ", " + sampling + ", " + pixels + (nhwc ? ", NHWC" : ", NCHW") + (uint8 ? " uint8" : " float32");
    }
}
